"""The Movers page's panels: gains, reach, attribution and uncertainty."""
