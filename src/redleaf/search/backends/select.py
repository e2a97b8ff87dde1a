"""Which lexical backend a process uses, made once and kept on `runtime.extras`.

SQLite (the embedded default): Tantivy under `<var_dir>/search/notes`. PostgreSQL: the
tsvector backend (backends/postgres.py) when it can be imported, else Tantivy; an operator
may choose Tantivy there too with `search_backend = "tantivy"` ("auto" by default).
`Runtime.close()` closes the backend (it calls `aclose` on every extra).
"""

from __future__ import annotations

import logging
from pathlib import Path

from redleaf.kit.runtime import Runtime
from redleaf.search.backends.base import LexicalBackend

log = logging.getLogger("redleaf.search")

EXTRA = "search.lexical"
INDEX_SUBDIR = Path("search") / "notes"  # under the var directory


def index_directory(runtime: Runtime) -> Path:
    configured = getattr(runtime.settings, "search_index_dir", None)
    return Path(configured) if configured else runtime.settings.var_dir / INDEX_SUBDIR


def _make(runtime: Runtime) -> LexicalBackend:
    settings = runtime.settings
    choice = str(getattr(settings, "search_backend", "auto") or "auto")
    if choice in ("auto", "postgres") and not settings.is_sqlite:
        try:
            from redleaf.search.backends.postgres import PostgresBackend
        except ImportError:
            log.warning("the PostgreSQL search backend is not available; using Tantivy")
        else:
            return PostgresBackend(runtime.sessions)
    from redleaf.search.backends.tantivy_backend import TantivyBackend

    return TantivyBackend(index_directory(runtime))


def backend_for(runtime: Runtime) -> LexicalBackend:
    """This process's lexical backend (made on first use)."""
    backend = runtime.extras.get(EXTRA)
    if backend is None:
        backend = runtime.extras[EXTRA] = _make(runtime)
    return backend  # type: ignore[return-value]
