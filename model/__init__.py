"""PII scenario simulator: the model library (pure Python; never imports streamlit).

Public API (see model.api): edition, ranking, profile, plan, preset, run, next_published;
Scenario and Outcome (model.scenario); the engine (model.engine) and framework
(model.framework) underneath.
"""

from .scenario import Outcome, Scenario, ScenarioError

__all__ = ["Outcome", "Scenario", "ScenarioError"]
