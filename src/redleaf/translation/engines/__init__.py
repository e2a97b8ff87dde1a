"""Translation engines behind one interface (base.py)."""
