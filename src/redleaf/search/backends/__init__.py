"""Lexical search backends behind one interface (base.py): Tantivy embedded, PostgreSQL."""
