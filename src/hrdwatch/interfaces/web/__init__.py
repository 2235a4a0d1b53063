"""The analyst's web app: server-rendered pages, their templates and static files."""
