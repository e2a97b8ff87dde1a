"""Turn a Hugging Face Marian (OPUS-MT) directory into a directory the ct2 engine serves.

The conversion needs torch and transformers (the optional extra `redleaf[mt]`); serving needs
only ctranslate2 and sentencepiece. Those heavy packages are imported inside `import_marian`, so
this module and the `redleaf translation` command group load without them.

The result (engines/ct2_model.py): the CTranslate2 model, source.spm and target.spm copied
beside it, and redleaf-model.json naming the direction, the source model and a hash of
model.bin (the engine's version, hence the translation cache key, follows that hash).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from redleaf.translation.engines.ct2_model import (
    MANIFEST_NAME,
    MODEL_FILE,
    SOURCE_SPM,
    TARGET_SPM,
    ModelManifest,
    file_sha256,
    write_manifest,
)
from redleaf.translation.langs import CONTENT_LANGUAGES

QUANTIZATIONS = ("int8", "int8_float32", "int16", "float32", "float16", "bfloat16")

# OPUS-MT names languages with ISO 639-1 or 639-3 codes, sometimes with a script suffix.
_CODES = {
    "en": "en",
    "eng": "en",
    "zh": "zh-Hans",
    "zho": "zh-Hans",
    "cmn": "zh-Hans",
    "zh_hans": "zh-Hans",
    "zho_hans": "zh-Hans",
    "cmn_hans": "zh-Hans",
    "zh_hant": "zh-Hant",
    "zho_hant": "zh-Hant",
    "cmn_hant": "zh-Hant",
    "ja": "ja",
    "jap": "ja",
    "jpn": "ja",
    "ko": "ko",
    "kor": "ko",
    "fr": "fr",
    "fra": "fr",
    "fre": "fr",
    "de": "de",
    "deu": "de",
    "ger": "de",
    "es": "es",
    "spa": "es",
    "it": "it",
    "ita": "it",
    "pt": "pt",
    "por": "pt",
    "ru": "ru",
    "rus": "ru",
    "nl": "nl",
    "nld": "nl",
    "dut": "nl",
}

# The target-language tokens a multilingual OPUS-MT model may expect, most specific first.
_TARGET_TOKENS = {
    "zh-Hans": (">>cmn_Hans<<", ">>zho_Hans<<", ">>cmn<<", ">>zho<<"),
    "zh-Hant": (">>cmn_Hant<<", ">>zho_Hant<<"),
    "en": (">>eng<<",),
    "ja": (">>jpn<<",),
    "ko": (">>kor<<",),
    "fr": (">>fra<<",),
    "de": (">>deu<<",),
    "es": (">>spa<<",),
    "it": (">>ita<<",),
    "pt": (">>por<<",),
    "ru": (">>rus<<",),
    "nl": (">>nld<<",),
}

_NAME_PAIR = re.compile(r"opus-mt-(?:tc-[a-z0-9]+-)?([A-Za-z_]+)-([A-Za-z_]+)$")
_LANGUAGE_TOKEN = re.compile(r"^>>[A-Za-z_]+<<$")


class ImportModelError(Exception):
    """Something the operator can fix (wrong directory, unknown languages, existing output)."""


class ExtraMissing(ImportModelError):
    """torch or transformers is not installed."""


@dataclass(frozen=True)
class ImportResult:
    directory: Path
    manifest: ModelManifest


def language_code(code: str) -> str | None:
    """An OPUS-MT language code as a Redleaf content language ("zho" -> "zh-Hans")."""
    lowered = code.strip().lower().replace("-", "_")
    if lowered in _CODES:
        return _CODES[lowered]
    return code if code in CONTENT_LANGUAGES else None


def detect_pair(source_dir: Path, config: dict[str, Any]) -> tuple[str, str] | None:
    """The direction, from the model's name (opus-mt-en-zh) or its tokenizer_config.json."""
    for name in (str(config.get("_name_or_path") or ""), source_dir.resolve().name):
        match = _NAME_PAIR.search(name.rstrip("/"))
        if match:
            source, target = language_code(match[1]), language_code(match[2])
            if source and target:
                return source, target
    tokenizer_config = _read_json(source_dir / "tokenizer_config.json") or {}
    source = language_code(str(tokenizer_config.get("source_lang") or ""))
    target = language_code(str(tokenizer_config.get("target_lang") or ""))
    if source and target:
        return source, target
    return None


def source_model_id(source_dir: Path, config: dict[str, Any]) -> str:
    """ "Helsinki-NLP/opus-mt-en-zh" when the config remembers it, else the folder's name."""
    name = str(config.get("_name_or_path") or "").strip()
    if name and not name.startswith(("/", ".", "~")) and "\\" not in name:
        return name
    return source_dir.resolve().name


def pick_source_prefix(vocabulary: list[str], target: str) -> str:
    """The target-language token to put before each source sentence, "" when the model has
    none. Raises ImportModelError when the model has such tokens but none for `target`."""
    language_tokens = {token for token in vocabulary if _LANGUAGE_TOKEN.match(token)}
    if not language_tokens:
        return ""
    for token in _TARGET_TOKENS.get(target, ()):
        if token in language_tokens:
            return token
    examples = ", ".join(sorted(language_tokens)[:8])
    raise ImportModelError(
        f"this model serves several target languages ({examples}, ...) and none matches "
        f"{target}: pass --source-prefix with the right token"
    )


def require_extra() -> None:
    """Raise ExtraMissing unless the packages that load Hugging Face models are importable."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as error:
        raise ExtraMissing(
            f"converting a model needs torch and transformers ({error.name or error} is "
            "missing): pip install 'redleaf[mt]'"
        ) from error


def import_marian(
    source_dir: Path,
    destination: Path,
    *,
    quantization: str = "int8",
    source: str | None = None,
    target: str | None = None,
    source_prefix: str | None = None,
    force: bool = False,
    imported: date | None = None,
) -> ImportResult:
    """Convert `source_dir` (a Hugging Face MarianMTModel with its tokenizer files) into
    `destination`. The output is written beside it and moved in at the end, so a scanning
    engine never sees half a model."""
    source_dir = source_dir.expanduser()
    destination = destination.expanduser()
    config = _check_source(source_dir)
    if quantization not in QUANTIZATIONS:
        raise ImportModelError(f"unknown quantization {quantization!r}: {', '.join(QUANTIZATIONS)}")
    pair = _resolve_pair(source_dir, config, source, target)
    _check_destination(destination, force)
    require_extra()

    from ctranslate2.converters import TransformersConverter

    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".import-", dir=destination.parent) as scratch:
        staged = Path(scratch) / "model"
        TransformersConverter(str(source_dir)).convert(str(staged), quantization=quantization)
        for name in (SOURCE_SPM, TARGET_SPM):
            shutil.copyfile(source_dir / name, staged / name)
        prefix = (
            source_prefix
            if source_prefix is not None
            else pick_source_prefix(_converted_source_vocabulary(staged), pair[1])
        )
        manifest = ModelManifest(
            source=pair[0],
            target=pair[1],
            source_model=source_model_id(source_dir, config),
            model_sha256=file_sha256(staged / MODEL_FILE),
            quantization=quantization,
            imported=(imported or date.today()).isoformat(),
            source_prefix=prefix,
        )
        write_manifest(staged, manifest)
        if destination.exists():
            shutil.rmtree(destination)
        staged.rename(destination)
    return ImportResult(destination, manifest)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _check_source(source_dir: Path) -> dict[str, Any]:
    if not source_dir.is_dir():
        raise ImportModelError(f"{source_dir} is not a directory")
    config = _read_json(source_dir / "config.json")
    if config is None:
        raise ImportModelError(f"{source_dir} has no readable config.json")
    architectures = config.get("architectures") or []
    if config.get("model_type") != "marian" and "MarianMTModel" not in architectures:
        raise ImportModelError(
            f"{source_dir} holds a {config.get('model_type') or 'unknown'} model, not Marian"
        )
    missing = [n for n in (SOURCE_SPM, TARGET_SPM, "vocab.json") if not (source_dir / n).is_file()]
    if missing:
        raise ImportModelError(f"{source_dir} lacks {', '.join(missing)}")
    weights = ("pytorch_model.bin", "model.safetensors", "tf_model.h5")
    if not any((source_dir / name).is_file() for name in weights):
        raise ImportModelError(
            f"{source_dir} has no weights ({', '.join(weights)}); with git, run `git lfs pull`"
        )
    return config


def _resolve_pair(
    source_dir: Path, config: dict[str, Any], source: str | None, target: str | None
) -> tuple[str, str]:
    detected = detect_pair(source_dir, config)
    chosen_source = source or (detected[0] if detected else None)
    chosen_target = target or (detected[1] if detected else None)
    if not chosen_source or not chosen_target:
        raise ImportModelError(
            "cannot tell the languages from the model's name: pass --source and --target"
        )
    for code in (chosen_source, chosen_target):
        if code not in CONTENT_LANGUAGES:
            raise ImportModelError(f"{code!r} is not one of {', '.join(CONTENT_LANGUAGES)}")
    return chosen_source, chosen_target


def _check_destination(destination: Path, force: bool) -> None:
    if not destination.exists():
        return
    if not destination.is_dir():
        raise ImportModelError(f"{destination} exists and is not a directory")
    contents = list(destination.iterdir())
    if not contents:
        return
    if not force:
        raise ImportModelError(f"{destination} is not empty: pass --force to replace it")
    # --force replaces a previous import, never an unrelated folder.
    if not ((destination / MANIFEST_NAME).exists() or (destination / MODEL_FILE).exists()):
        raise ImportModelError(f"{destination} does not hold a model; refusing to replace it")


def _converted_source_vocabulary(model_dir: Path) -> list[str]:
    for name in ("shared_vocabulary.json", "source_vocabulary.json"):
        path = model_dir / name
        if path.is_file():
            tokens = json.loads(path.read_text(encoding="utf-8"))
            return [str(token) for token in tokens]
    for name in ("shared_vocabulary.txt", "source_vocabulary.txt"):
        path = model_dir / name
        if path.is_file():
            return path.read_text(encoding="utf-8").splitlines()
    return []
