"""Redleaf: a bilingual lifestyle community."""

__version__ = "0.1.0"
