"""Garbage and damaged files never crash processing: every input ends ready or refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redleaf.media.process import process_upload
from redleaf.media.sniff import sniff
from redleaf.media.storage import LocalStorage, new_token, original_key
from redleaf.settings import Settings
from tests.media import samples

VALID = {
    "jpeg": samples.jpeg(64, 48),
    "png": samples.png(48, 32),
    "gif": samples.gif(32, 24),
    "webp": samples.webp(48, 32),
    "heic": samples.heic(48, 32),
    "mp4": samples.video(seconds=0.25, width=32, height=24),
    "webm": samples.video(container="webm", codec="libvpx", seconds=0.25, width=32, height=24),
}
REFUSALS = {
    "damaged",
    "polyglot",
    "unsupported",
    "image_too_large",
    "video_too_long",
    "video_too_large",
    "processing_failed",
}


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """A valid file cut short, with bytes flipped, or with junk spliced in."""
    data = bytearray(VALID[draw(st.sampled_from(sorted(VALID)))])
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        at = draw(st.integers(8, len(data)))
        data[at:at] = draw(st.binary(max_size=64))
    if draw(st.booleans()):
        del data[draw(st.integers(16, len(data))) :]
    return bytes(data)


@pytest.fixture(scope="module")
def storage(tmp_path_factory: pytest.TempPathFactory) -> tuple[LocalStorage, Settings]:
    root = tmp_path_factory.mktemp("fuzz-media")
    return LocalStorage(root), Settings(var_dir=root, media_dir=root)


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow on broken EXIF: we drop EXIF anyway
@given(data=damaged())
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
def test_damaged_files_are_processed_or_refused_never_crash(
    storage: tuple[LocalStorage, Settings], data: bytes
) -> None:
    media, config = storage
    sniffed = sniff(data[:64])
    if sniffed is None:
        return  # refused at upload with 415
    key = original_key(new_token())
    media.save_bytes(key, data)
    outcome = process_upload(media, config, kind=sniffed.kind, fmt=sniffed.format, original_key=key)
    assert outcome.state == "ready" or outcome.error_code in REFUSALS, outcome
    media.delete(key)


@given(tail=st.binary(max_size=300), head=st.sampled_from(sorted(VALID)))
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_a_right_signature_over_random_bytes_is_refused(
    storage: tuple[LocalStorage, Settings], tail: bytes, head: str
) -> None:
    media, config = storage
    data = VALID[head][:24] + tail
    sniffed = sniff(data[:64])
    if sniffed is None:
        return
    key = original_key(new_token())
    media.save_bytes(key, data)
    before = files(media.root)
    outcome = process_upload(media, config, kind=sniffed.kind, fmt=sniffed.format, original_key=key)
    assert outcome.state == "failed" and outcome.error_code in REFUSALS, outcome
    assert files(media.root) == before  # a refusal leaves nothing behind
    media.delete(key)


def files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}
