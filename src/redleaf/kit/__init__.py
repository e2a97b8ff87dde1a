"""Shared building blocks. Nothing in kit imports a feature package."""
