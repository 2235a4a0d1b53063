"""Alembic migrations of the hrdwatch schema (run by hrdwatch.store.migrate)."""
