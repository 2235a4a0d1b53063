"""Use cases over the store: ingest, cases (list/show/export). No CLI or web code here."""
