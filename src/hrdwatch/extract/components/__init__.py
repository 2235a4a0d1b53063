"""The pipeline stages, one module each; each registers the versioned spaCy factory that
``../registry.py`` names for it. Their helpers live beside this package, in ``extract/``."""
