"""The processing pipeline on real files: what comes out, and what is refused and why."""

from __future__ import annotations

import io
from pathlib import Path

import av
import pytest
from PIL import Image

from redleaf.media.process import Outcome, process_upload
from redleaf.media.sniff import sniff
from redleaf.media.storage import LocalStorage, new_token, original_key, storage_for
from redleaf.settings import Settings
from tests.media import samples

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def storage(settings: Settings) -> LocalStorage:
    found = storage_for(settings)
    assert isinstance(found, LocalStorage)
    return found


def run(storage: LocalStorage, settings: Settings, data: bytes) -> Outcome:
    sniffed = sniff(data[:64])
    assert sniffed is not None, "the sample should be recognised"
    key = original_key(new_token())
    storage.save_bytes(key, data)
    return process_upload(
        storage, settings, kind=sniffed.kind, fmt=sniffed.format, original_key=key
    )


def files_under(storage: LocalStorage, top: str = "m") -> set[str]:
    root = storage.root / top
    return {p.relative_to(storage.root).as_posix() for p in root.rglob("*") if p.is_file()}


def open_rendition(storage: LocalStorage, outcome: Outcome, label: str) -> Image.Image:
    path = storage.serve_path(outcome.renditions[label]["key"])
    assert path is not None
    image = Image.open(path)
    image.load()
    return image


def assert_no_metadata(image: Image.Image) -> None:
    assert not image.getexif(), dict(image.getexif())
    assert not image.getexif().get_ifd(samples.GPS_IFD)
    for key in ("exif", "xmp", "icc_profile", "comment", "XML:com.adobe.xmp"):
        assert key not in image.info, key


def is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 150 and pixel[1] < 90


async def test_a_phone_jpeg_loses_gps_and_all_exif_in_every_rendition(
    storage: LocalStorage, settings: Settings
) -> None:
    data = samples.jpeg(2000, 1500)
    assert b"PhoneMaker" in data and b"shot on a phone" in data
    outcome = run(storage, settings, data)
    assert outcome.state == "ready", outcome.error_code
    assert (outcome.width, outcome.height) == (2000, 1500)
    assert set(outcome.renditions) == {"360", "720", "1080"}
    for label in ("360", "720", "1080"):
        image = open_rendition(storage, outcome, label)
        assert image.format == "WEBP"
        assert image.width == int(label)
        assert image.height == round(int(label) * 1500 / 2000)
        assert_no_metadata(image)
        raw = storage.serve_path(outcome.renditions[label]["key"]).read_bytes()  # type: ignore[union-attr]
        assert b"PhoneMaker" not in raw and b"xmpmeta" not in raw and b"phone" not in raw
    assert outcome.color is not None and outcome.color.startswith("#") and len(outcome.color) == 7


async def test_exif_orientation_6_turns_the_picture_upright(
    storage: LocalStorage, settings: Settings
) -> None:
    outcome = run(storage, settings, samples.jpeg(400, 300, orientation=6))
    assert outcome.state == "ready"
    assert (outcome.width, outcome.height) == (300, 400)  # turned a quarter: sides swap
    image = open_rendition(storage, outcome, "360")
    assert image.size == (300, 400)  # never upscaled past the picture's own width
    # Orientation 6 means "turn 90° clockwise to view": the red top-left corner ends top-right.
    assert is_red(image.getpixel((image.width - 10, 10)))  # type: ignore[arg-type]
    assert not is_red(image.getpixel((10, 10)))  # type: ignore[arg-type]
    assert_no_metadata(image)


@pytest.mark.parametrize("make", [samples.png, samples.webp, samples.heic, samples.gif])
async def test_other_photo_formats_are_re_encoded_without_metadata(
    storage: LocalStorage, settings: Settings, make: object
) -> None:
    outcome = run(storage, settings, make())  # type: ignore[operator]
    assert outcome.state == "ready", outcome.error_code
    image = open_rendition(storage, outcome, "1080")
    assert image.format == "WEBP"
    assert image.size == (outcome.width, outcome.height)  # small: kept at its own size
    assert is_red(image.convert("RGB").getpixel((2, 2)))  # type: ignore[arg-type]
    assert_no_metadata(image)
    assert getattr(image, "n_frames", 1) == 1  # a GIF keeps its first frame only


async def test_small_photos_are_never_upscaled_and_share_one_file(
    storage: LocalStorage, settings: Settings
) -> None:
    outcome = run(storage, settings, samples.jpeg(500, 400))
    widths = {label: r["width"] for label, r in outcome.renditions.items()}
    assert widths == {"360": 360, "720": 500, "1080": 500}
    assert outcome.renditions["720"]["key"] == outcome.renditions["1080"]["key"]
    assert files_under(storage) == {r["key"] for r in outcome.renditions.values()}


async def test_transparent_png_keeps_its_alpha(storage: LocalStorage, settings: Settings) -> None:
    outcome = run(storage, settings, samples.png())
    image = open_rendition(storage, outcome, "360")
    assert image.mode == "RGBA"
    assert image.getpixel((image.width - 1, image.height - 1))[3] == 0  # type: ignore[index]


async def test_a_colour_profile_is_applied_not_carried(
    storage: LocalStorage, settings: Settings
) -> None:
    from PIL import ImageCms

    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = samples.save(samples.picture(64, 48), "JPEG", icc_profile=srgb, quality=95)
    outcome = run(storage, settings, data)
    image = open_rendition(storage, outcome, "360")
    assert_no_metadata(image)  # browsers take untagged pixels as sRGB, which they now are
    assert is_red(image.getpixel((2, 2)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (samples.jpeg()[:-400], "damaged"),  # truncated: the upload stopped half-way
        (samples.png()[:-30], "damaged"),
        (samples.jpeg() + samples.zip_archive(), "polyglot"),  # a JPEG that is also a ZIP
        (samples.jpeg() + b"<?php system($_GET['c']); ?>", "polyglot"),
        (samples.jpeg() + b"<html><script>alert(1)</script></html>", "polyglot"),
        (samples.png() + b"<?php echo 1; ?>", "polyglot"),
        (samples.gif() + b"PK\x03\x04junk", "polyglot"),
        (samples.png_bomb(), "image_too_large"),  # 900 megapixels declared over 74 bytes
    ],
    ids=[
        "jpeg-truncated",
        "png-truncated",
        "jpeg+zip",
        "jpeg+php",
        "jpeg+html",
        "png+php",
        "gif+junk",
        "png-bomb",
    ],  # fmt: skip
)
async def test_hostile_or_broken_photos_are_refused_with_a_reason(
    storage: LocalStorage, settings: Settings, data: bytes, code: str
) -> None:
    outcome = run(storage, settings, data)
    assert (outcome.state, outcome.error_code) == ("failed", code)
    assert files_under(storage) == set()  # nothing of it was kept


async def test_php_in_a_jpeg_comment_is_refused(storage: LocalStorage, settings: Settings) -> None:
    data = samples.save(samples.picture(), "JPEG", comment=b"<?php eval($_POST[1]); ?>")
    assert run(storage, settings, data).error_code == "polyglot"


async def test_the_pixel_limit_is_a_setting(storage: LocalStorage, settings: Settings) -> None:
    tight = settings.model_copy(update={"image_max_pixels": 100 * 100})
    assert run(storage, tight, samples.jpeg(101, 100)).error_code == "image_too_large"
    assert run(storage, tight, samples.jpeg(100, 100)).state == "ready"


async def test_camera_trailers_after_a_jpeg_are_accepted(
    storage: LocalStorage, settings: Settings
) -> None:
    # Multi-picture JPEGs (depth maps, previews) append further JPEGs; Motion Photos an MP4.
    with_preview = samples.jpeg() + samples.save(samples.picture(32, 24), "JPEG")
    assert run(storage, settings, with_preview).state == "ready"
    motion = samples.jpeg() + samples.video(seconds=0.25, audio=False)
    assert run(storage, settings, motion).state == "ready"


# --- video -------------------------------------------------------------------------------------


def probe_output(
    storage: LocalStorage, outcome: Outcome
) -> tuple[av.container.InputContainer, Path]:
    path = storage.serve_path(outcome.renditions["video"]["key"])
    assert path is not None
    return av.open(str(path)), path


async def test_an_h264_aac_mp4_is_remuxed_with_its_index_first_and_no_metadata(
    storage: LocalStorage, settings: Settings
) -> None:
    data = samples.video(metadata={"location": "+31.2304+121.4737/", "title": "secret"})
    outcome = run(storage, settings, data)
    assert outcome.state == "ready", outcome.error_code
    assert outcome.renditions["video"]["transcoded"] is False
    assert (outcome.width, outcome.height) == (64, 48)
    assert outcome.duration_ms == 1000
    container, path = probe_output(storage, outcome)
    with container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert container.streams.audio[0].codec_context.name == "aac"
        assert "location" not in container.metadata and "title" not in container.metadata
    head = path.read_bytes()[:64]
    assert head[4:8] == b"ftyp" and b"moov" in head  # faststart: the index before the data
    poster = open_rendition(storage, outcome, "poster")
    assert poster.size == (64, 48) and is_red(poster.getpixel((4, 4)))  # type: ignore[arg-type]
    assert outcome.renditions["poster"] == outcome.renditions["1080"]


async def test_a_portrait_mov_in_mpeg4_is_transcoded_upright_to_h264(
    storage: LocalStorage, settings: Settings
) -> None:
    # Stored landscape plus "turn 90° clockwise" (-90 counter-clockwise), as phones record.
    data = samples.video(container="mov", codec="mpeg4", rotation=-90)
    outcome = run(storage, settings, data)
    assert outcome.state == "ready", outcome.error_code
    assert outcome.renditions["video"]["transcoded"] is True
    assert (outcome.width, outcome.height) == (48, 64)
    container, path = probe_output(storage, outcome)
    with container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and container.format.name.startswith("mov")
        assert [a.codec_context.name for a in container.streams.audio] == ["aac"]
        frame = next(container.decode(stream))
        assert (frame.width, frame.height, frame.rotation) == (48, 64, 0)  # turned in pixels
        assert is_red(frame.to_image().getpixel((44, 4)))  # type: ignore[arg-type]
    assert path.read_bytes()[:64].find(b"moov") > 0
    poster = open_rendition(storage, outcome, "poster")
    assert poster.size == (48, 64) and is_red(poster.getpixel((44, 4)))  # type: ignore[arg-type]


async def test_a_remuxed_portrait_video_keeps_its_rotation(
    storage: LocalStorage, settings: Settings
) -> None:
    outcome = run(storage, settings, samples.video(container="mov", rotation=90, audio=False))
    assert outcome.renditions["video"]["transcoded"] is False
    assert (outcome.width, outcome.height) == (48, 64)
    container, _path = probe_output(storage, outcome)
    with container:
        assert next(container.decode(video=0)).rotation == 90  # browsers honour the matrix
    poster = open_rendition(storage, outcome, "poster")
    assert is_red(poster.getpixel((4, poster.height - 4)))  # type: ignore[arg-type]


async def test_webm_is_transcoded_to_mp4(storage: LocalStorage, settings: Settings) -> None:
    outcome = run(storage, settings, samples.video(container="webm", codec="libvpx"))
    assert outcome.state == "ready", outcome.error_code
    container, _path = probe_output(storage, outcome)
    with container:
        assert container.streams.video[0].codec_context.name == "h264"
        assert [a.codec_context.name for a in container.streams.audio] == ["aac"]


async def test_a_recording_without_a_duration_is_measured_from_its_packets(
    storage: LocalStorage, settings: Settings
) -> None:
    data = samples.video(container="webm", codec="libvpx", live=True, audio=False)
    outcome = run(storage, settings, data)
    assert outcome.state == "ready", outcome.error_code
    assert 900 <= (outcome.duration_ms or 0) <= 1100
    short = settings.model_copy(update={"video_max_seconds": 0.5})
    assert run(storage, short, data).error_code == "video_too_long"


async def test_large_videos_are_scaled_to_the_output_height(
    storage: LocalStorage, settings: Settings
) -> None:
    small = settings.model_copy(update={"video_output_height": 32})
    outcome = run(storage, small, samples.video(seconds=0.5))
    assert outcome.renditions["video"]["transcoded"] is True
    video = outcome.renditions["video"]
    assert (video["width"], video["height"]) == (42, 32)


@pytest.mark.parametrize(
    ("update", "code"),
    [
        ({"video_max_seconds": 0.5}, "video_too_long"),
        ({"video_max_pixels": 1000}, "video_too_large"),
    ],
)
async def test_video_limits_are_settings(
    storage: LocalStorage, settings: Settings, update: dict[str, object], code: str
) -> None:
    outcome = run(storage, settings.model_copy(update=update), samples.video())
    assert (outcome.state, outcome.error_code) == ("failed", code)
    assert files_under(storage) == set()


async def test_a_truncated_video_is_refused(storage: LocalStorage, settings: Settings) -> None:
    data = samples.video()
    assert run(storage, settings, data[: len(data) // 2]).error_code == "damaged"


async def test_renditions_are_plain_webp_files(storage: LocalStorage, settings: Settings) -> None:
    outcome = run(storage, settings, samples.jpeg())
    raw = storage.serve_path(outcome.renditions["360"]["key"]).read_bytes()  # type: ignore[union-attr]
    assert raw[:4] == b"RIFF" and raw[8:12] == b"WEBP"
    assert b"EXIF" not in raw and b"XMP " not in raw and b"ICCP" not in raw
    Image.open(io.BytesIO(raw)).verify()


async def test_a_stopping_worker_abandons_a_transcode_and_leaves_no_temporary_file(
    storage: LocalStorage, settings: Settings
) -> None:
    import threading

    from redleaf.media.video import Interrupted

    stop = threading.Event()
    stop.set()
    data = samples.video(container="mov", codec="mpeg4")
    key = original_key(new_token())
    storage.save_bytes(key, data)
    with pytest.raises(Interrupted):
        process_upload(storage, settings, kind="video", fmt="mov", original_key=key, stop=stop)
    assert list((storage.root / "tmp").iterdir()) == []
    assert not any(name.endswith(".mp4") for name in files_under(storage))


@pytest.mark.parametrize(
    "key", ["../secret", "m/../../etc/passwd", "/etc/passwd", "m/.hidden/x", "m//x", "a\\b", ""]
)
def test_storage_keys_cannot_leave_the_media_directory(storage: LocalStorage, key: str) -> None:
    with pytest.raises(ValueError):
        storage.save_bytes(key, b"x")
    assert storage.serve_path(key) is None
