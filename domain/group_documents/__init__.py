"""group documents."""
