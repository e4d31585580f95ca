"""organisation."""
