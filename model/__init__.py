"""PII scenario simulator: the model library (pure Python; never imports streamlit).

Public API (see model.api): edition, ranking, profile, plan, preset, run, next_published;
Scenario and Outcome (model.index.scenario); the engine (model.index.engine) and framework
(model.index.framework) underneath.
"""

from model.index.scenario import Outcome, Scenario, ScenarioError

__all__ = ["Outcome", "Scenario", "ScenarioError"]
