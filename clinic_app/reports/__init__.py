"""Reports for statistics: de-identified exports."""
