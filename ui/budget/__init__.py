"""The Budget page's panels: the lever table, results and figures, and named assumption sets."""
