"""Readers: a report's bytes in, a :class:`hrdwatch.domain.source.Source` out."""

from hrdwatch.ingest.registry import SUPPORTED_SUFFIXES, discover, read_bytes, read_path

__all__ = ["SUPPORTED_SUFFIXES", "discover", "read_bytes", "read_path"]
