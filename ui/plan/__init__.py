"""The Plan page's panels: actions (new, copy, recommend, delete), the target editor, files
(import and export), the panels of a plan's effect and progress, and the extras below them."""
