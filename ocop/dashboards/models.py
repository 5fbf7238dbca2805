"""The dashboards keep no tables of their own: plans and targets are the programme office's (`ocop.office`)."""
