"""The Streamlit interface's parts. Shared by every page, at this level: frame (sidebar, links),
i18n (`_()`, `err()`, numbers), widgets, names, figures and charts (plotly builders), provenance
badges, access (the admin password, read-only mode), loaders (the pages' cached door to the
model), state (the scenario in the session and the link) and plan_choice (the plan a page shows).
A folder per page holds that page's panels: plan/, budget/, scenario/, meeting/, data/, movers/,
overview/.
"""
