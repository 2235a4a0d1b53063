"""The analyst's web app: server-rendered pages, the app factory, and the security middleware."""
