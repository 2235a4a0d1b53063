"""The ``hrdwatch`` command line (Typer)."""
