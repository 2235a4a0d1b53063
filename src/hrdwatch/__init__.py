"""hrdwatch: evidence-linked case records of attacks on human rights defenders."""

__version__ = "0.1.0"
