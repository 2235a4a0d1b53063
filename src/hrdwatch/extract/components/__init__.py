"""One module per extraction stage; each registers a spaCy component (see ../registry.py)."""
