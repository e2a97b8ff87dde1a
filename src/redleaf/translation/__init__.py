"""Language detection and translation (docs/architecture.md, "Translation")."""
