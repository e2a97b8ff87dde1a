"""Where media files live: a `Storage` interface and its local-directory backend.

Keys are relative paths such as `m/Xy/XyZ…/720.webp`. The random token in them (128 bits) is
the only thing that guards a rendition, as on a CDN: rendition URLs are public and cached for a
year, so they must be unguessable. Originals live under `uploads/`, which is never served (they
still carry their EXIF and GPS).

Every write is atomic: the bytes go to a temporary file in the same file system, are flushed to
disk, and are renamed over the key, so a reader (or a job re-run after a crash) never sees half
a file. Methods block: call them from a thread, not from the event loop.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from redleaf.settings import Settings

# A key: path segments of safe characters, none of them starting with a dot (no "..", no hidden
# files); at most 200 characters, the width of the `original_key` column.
_KEY = re.compile(r"^(?!.*(?:^|/)\.)[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+){0,5}$")
STAGING_DIR = "tmp"


class Storage(Protocol):
    def staging_file(self) -> tuple[BinaryIO, Path]:
        """An open, empty temporary file on the storage's own disk (for uploads in flight)."""
        ...

    def save_file(self, key: str, source: Path) -> None:
        """Move (or copy) the file at `source` to `key`, atomically."""
        ...

    def save_bytes(self, key: str, data: bytes) -> None: ...

    def open(self, key: str) -> BinaryIO: ...

    def local_path(self, key: str) -> contextlib.AbstractContextManager[Path]:
        """A path on this machine's disk holding the key's bytes while the block runs (a
        remote backend would download to a temporary file)."""
        ...

    def serve_path(self, key: str) -> Path | None:
        """The file to send for a GET of the key's URL, or None when it does not exist."""
        ...

    def url(self, key: str) -> str: ...

    def delete(self, key: str) -> bool: ...

    def exists(self, key: str) -> bool: ...

    def sweep_staging(self, older_than_seconds: float) -> int:
        """Remove temporary files left by processes that died mid-write; how many."""
        ...

    def stale_keys(self, prefix: str, older_than_seconds: float) -> list[str]:
        """Keys under `prefix` unchanged for that long (to find files nothing refers to)."""
        ...


def new_token() -> str:
    return secrets.token_urlsafe(16)  # 22 characters, 128 random bits


def valid_key(key: str) -> bool:
    return len(key) <= 200 and bool(_KEY.match(key))


def original_key(token: str) -> str:
    return f"uploads/{token[:2]}/{token}"


def rendition_prefix(token: str) -> str:
    # Two-character shards keep any one directory small.
    return f"m/{token[:2]}/{token}"


class LocalStorage:
    def __init__(self, root: Path, url_prefix: str = "/media/") -> None:
        self.root = root.resolve()
        self.url_prefix = url_prefix

    def _path(self, key: str) -> Path:
        if not valid_key(key):
            raise ValueError(f"invalid storage key: {key!r}")
        path = self.root / key
        # The pattern already forbids "..": this is the second lock on the same door.
        if not path.resolve().is_relative_to(self.root):
            raise ValueError(f"storage key escapes the root: {key!r}")
        return path

    def _staging(self) -> Path:
        folder = self.root / STAGING_DIR
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def staging_file(self) -> tuple[BinaryIO, Path]:
        # The caller closes it (then moves or deletes the file).
        handle = tempfile.NamedTemporaryFile(dir=self._staging(), prefix="up-", delete=False)  # noqa: SIM115
        return handle, Path(handle.name)  # type: ignore[return-value]

    def save_file(self, key: str, source: Path) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(source, target)  # same file system: atomic, no copy
        except OSError:
            with source.open("rb") as handle:
                self._write_atomic(target, handle)
            source.unlink(missing_ok=True)

    def save_bytes(self, key: str, data: bytes) -> None:
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._write_atomic(target, data)

    def _write_atomic(self, target: Path, data: bytes | BinaryIO) -> None:
        handle = tempfile.NamedTemporaryFile(dir=self._staging(), prefix="w-", delete=False)  # noqa: SIM115
        try:
            with handle:
                if isinstance(data, bytes):
                    handle.write(data)
                else:
                    shutil.copyfileobj(data, handle, 1 << 20)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(handle.name, 0o644)
            try:
                os.replace(handle.name, target)
            except FileNotFoundError:  # a delete removed the emptied directory meanwhile
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(handle.name, target)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    @contextlib.contextmanager
    def local_path(self, key: str) -> Iterator[Path]:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(key)
        yield path

    def serve_path(self, key: str) -> Path | None:
        if not valid_key(key):
            return None
        path = self._path(key)
        return path if path.is_file() else None

    def url(self, key: str) -> str:
        return self.url_prefix + key

    def delete(self, key: str) -> bool:
        path = self._path(key)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        if key.count("/") >= 3:  # m/<shard>/<token>/<file>: drop the media's emptied folder
            with contextlib.suppress(OSError):
                path.parent.rmdir()
        return True

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def sweep_staging(self, older_than_seconds: float) -> int:
        cutoff = time.time() - older_than_seconds
        removed = 0
        for entry in self._staging().iterdir():
            with contextlib.suppress(FileNotFoundError):
                if entry.is_file() and entry.stat().st_mtime < cutoff:
                    entry.unlink()
                    removed += 1
        return removed

    def stale_keys(self, prefix: str, older_than_seconds: float) -> list[str]:
        cutoff = time.time() - older_than_seconds
        top = self._path(prefix)
        found = []
        for folder, _dirs, files in os.walk(top):
            for name in files:
                path = Path(folder) / name
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime < cutoff:
                        found.append(path.relative_to(self.root).as_posix())
        return found


_storages: dict[str, LocalStorage] = {}


def storage_for(settings: Settings) -> Storage:
    """The storage of these settings (one object per media directory, made once)."""
    root = str(settings.resolved_media_dir.resolve())
    storage = _storages.get(root)
    if storage is None:
        storage = _storages[root] = LocalStorage(Path(root))
    return storage
