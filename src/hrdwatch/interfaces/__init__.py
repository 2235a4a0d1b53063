"""User interfaces: thin layers over services (cli now; api and web next)."""
