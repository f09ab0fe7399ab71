"""The meeting screen's parts: choosing the unit and plan from the link, and the blocks it shows."""
