"""Domain types: plain data, no I/O, importing nothing else of hrdwatch."""
