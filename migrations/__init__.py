"""The view tables' migrations (yoyo-migrations, plain SQL), shipped inside the distribution
and read with importlib.resources (web/database.py)."""
