"""One router module per resource; :mod:`hrdwatch.interfaces.api.router` gathers them."""
