"""The Data page's panels: tables by province or indicator, official data import, dataset
versions, and 2025 merged units beside their 2024 parts (also shown on the overview)."""
