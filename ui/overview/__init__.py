"""The Overview page's panels: metrics, pillars, neighbours, strengths, the national table."""
