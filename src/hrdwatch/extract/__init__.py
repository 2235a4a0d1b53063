"""The extraction pipeline: a report's text in, an evidence-linked CaseRecord out.

Imports only ``hrdwatch.domain`` (and ``hrdwatch.errors``/``config``), never store or services.
"""
