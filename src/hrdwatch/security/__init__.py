"""Passwords, one-time codes, tokens and the one permission decision (:func:`permissions.can`)."""
