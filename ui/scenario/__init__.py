"""The Scenario page's panels: the results (PII, rank, contributions) and saved scenarios."""
