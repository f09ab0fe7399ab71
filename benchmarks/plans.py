"""Plan tools (model.plan.recommend, model.plan.carry, model.plan.review) against the plans
issue's budgets. Every name contains "plan", so `python -m benchmarks --only plan` times them.
"""

from __future__ import annotations

from benchmarks import _edition_2023, register

SOURCE = "issue (plans): "


def _seed():
    from model.plan import library

    return library.get_plan("bac-giang-2024")


@register(
    "recommend a plan: reach rank 8 (LP, actionable)",
    target_ms=200.0,
    source=SOURCE + "200 ms, model.plan.recommend.recommend: Bắc Giang 2023 from 11th to 8th, "
    "leads from the seed, the draft checked by the engine",
    runs=30,
    quick_runs=10,
    warmup=2,
)
def _recommend_rank():
    from model.plan.recommend import recommend

    ed, seed = _edition_2023(), _seed()
    return lambda: recommend(ed, "bac-giang", rank=8, known=[seed])


@register(
    "recommend a plan: best for 50 billion VND a year (budget LP)",
    target_ms=200.0,
    source=SOURCE + "200 ms, the same target for the budget route (model.budget optimiser)",
    runs=30,
    quick_runs=10,
    warmup=2,
)
def _recommend_budget():
    from model.plan.recommend import recommend

    ed, seed = _edition_2023(), _seed()
    return lambda: recommend(ed, "bac-giang", budget_bn=50.0, known=[seed])


@register(
    "carry a plan: the seed to the merged Bắc Ninh 2025",
    target_ms=None,
    source="no target in the issues: reported only (model.plan.carry.carry_plan)",
    runs=30,
    quick_runs=10,
    warmup=2,
)
def _carry():
    from model import api
    from model.plan.carry import carry_plan

    ed23, ed25, seed = _edition_2023(), api.edition(2025), _seed()
    return lambda: carry_plan(seed, ed23, ed25)


@register(
    "review a plan: the seed against 2024",
    target_ms=None,
    source="no target in the issues: reported only (model.plan.review.review)",
    runs=30,
    quick_runs=10,
    warmup=2,
)
def _review():
    from model import api
    from model.official import store
    from model.plan.review import review

    ed23, ed24, seed = _edition_2023(), api.edition(2024), _seed()
    published = store.published(2024)
    return lambda: review(seed, ed23, ed24, published)
