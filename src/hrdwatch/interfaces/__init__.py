"""User interfaces: thin layers over services. ``app`` builds the one ASGI app from ``api`` and
``web`` (siblings that share only ``http``); ``cli`` is the command line."""
