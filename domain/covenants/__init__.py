"""covenants."""
