"""What a CTranslate2 model directory holds and how it identifies itself.

`redleaf translation import-model` (translation/modelimport.py) writes one directory per
direction: the CTranslate2 model (model.bin, config.json, vocabulary), the two sentencepiece
models (source.spm, target.spm) and `redleaf-model.json`, the manifest read here. The manifest
names the direction, so an operator only points Redleaf at the folder holding the directories.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

MANIFEST_NAME = "redleaf-model.json"
MODEL_FILE = "model.bin"
SOURCE_SPM = "source.spm"
TARGET_SPM = "target.spm"
MANIFEST_FORMAT = 1

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelManifest:
    source: str  # a content language code of translation/langs.py, e.g. "en"
    target: str  # e.g. "zh-Hans"
    source_model: str  # where it came from, e.g. "Helsinki-NLP/opus-mt-en-zh"
    model_sha256: str  # of model.bin: the model's identity for translation caches
    quantization: str  # what import-model was asked for, e.g. "int8"
    imported: str  # ISO date
    # Multilingual OPUS-MT models choose their output language by a token such as ">>cmn_Hans<<"
    # at the start of the source; a few models need a token at the start of the target instead.
    source_prefix: str = ""
    target_prefix: str = ""
    format: int = MANIFEST_FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def read_manifest(directory: Path) -> ModelManifest | None:
    """The directory's manifest, or None when it has none. Raises ValueError when malformed."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: unreadable manifest ({error})") from error
    if not isinstance(data, dict):
        raise ValueError(f"{path}: the manifest is not a JSON object")
    try:
        return ModelManifest(
            source=str(data["source"]),
            target=str(data["target"]),
            source_model=str(data.get("source_model", "")),
            model_sha256=str(data.get("model_sha256", "")),
            quantization=str(data.get("quantization", "")),
            imported=str(data.get("imported", "")),
            source_prefix=str(data.get("source_prefix") or ""),
            target_prefix=str(data.get("target_prefix") or ""),
            format=int(data.get("format", MANIFEST_FORMAT)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"{path}: manifest lacks {error}") from error


def write_manifest(directory: Path, manifest: ModelManifest) -> Path:
    path = directory / MANIFEST_NAME
    path.write_text(manifest.to_json(), encoding="utf-8")
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_identity(directory: Path, manifest: ModelManifest | None) -> str:
    """A short string that changes whenever the directory would translate differently.

    The manifest's content hash survives copying between machines (mtimes do not), so it is
    preferred; a directory without a manifest falls back to model.bin's name, size and mtime.
    Hashing model.bin here instead would read hundreds of megabytes at every start.
    """
    if manifest is not None and manifest.model_sha256:
        parts = [manifest.model_sha256, manifest.source_prefix, manifest.target_prefix]
    else:
        model = directory / MODEL_FILE
        try:
            stat = model.stat()
            parts = [str(model.resolve()), str(stat.st_size), str(stat.st_mtime_ns)]
        except OSError:
            parts = [str(directory), "missing"]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:12]


def scan_models(directory: Path) -> dict[tuple[str, str], Path]:
    """Every direction found in the subdirectories of `directory` (and in itself) that carry a
    manifest. Unreadable manifests and second models for one direction are logged and skipped,
    so one bad folder does not take the others down."""
    found: dict[tuple[str, str], Path] = {}
    if not directory.is_dir():
        return found
    candidates = [directory, *sorted(p for p in directory.iterdir() if p.is_dir())]
    for candidate in candidates:
        try:
            manifest = read_manifest(candidate)
        except ValueError as error:
            log.warning("skipping translation model: %s", error)
            continue
        if manifest is None:
            continue
        pair = (manifest.source, manifest.target)
        if pair in found:
            log.warning(
                "skipping translation model %s: %s→%s is already served by %s",
                candidate,
                *pair,
                found[pair],
            )
            continue
        found[pair] = candidate
    return found
