"""Videos through PyAV (FFmpeg's libraries from the `av` wheel, not the system's FFmpeg).

probe → limits (duration, pixels) → poster frame (turned upright, then through the photo path)
→ either a remux, when the file already plays everywhere (H.264 8-bit 4:2:0, AAC or silent, no
bigger than `video_output_height` on its short side), or a transcode to H.264/AAC. Either way
the output is a new MP4 with its index (moov) at the front, so playback starts before the whole
file arrives, and without the source's metadata (an iPhone's video carries its GPS position).

The demuxer is named from the sniffed format, never guessed by FFmpeg: a playlist or a concat
script posing as a video cannot make FFmpeg open other files.

Rotation: a phone stores portrait video landscape plus a display matrix. A remux keeps the
matrix (browsers honour it); a transcode turns the pixels themselves and drops it.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import av.filter
from PIL import Image

from redleaf.media.errors import (
    DAMAGED,
    UNSUPPORTED,
    VIDEO_TOO_LARGE,
    VIDEO_TOO_LONG,
    MediaRefused,
)
from redleaf.media.images import Still, render_still
from redleaf.media.storage import Storage
from redleaf.settings import Settings

_DEMUXERS = {"mp4": "mov", "mov": "mov", "m4v": "mov", "webm": "webm"}
_PLAYABLE_PIX_FMTS = ("yuv420p", "yuvj420p")
_AAC_RATES = (48_000, 44_100, 32_000, 24_000, 22_050, 16_000)
MAX_FPS = 60  # slow-motion clips (120/240 fps) play at most this many frames a second
X264_PRESET = "veryfast"
X264_CRF = "23"
AUDIO_BIT_RATE = 128_000
POSTER_AT_SECONDS = 1.0  # past a fade-in, but early: a short clip uses a quarter of its length


class Interrupted(Exception):
    """The job was asked to stop (its worker is shutting down): this run is abandoned, and the
    job runs again later."""


def _check(stop: threading.Event | None, seconds: float | None, limit: float) -> None:
    """Between packets: stop when asked, and refuse a file whose header understated its length
    (the probe trusted the header)."""
    if stop is not None and stop.is_set():
        raise Interrupted()
    if seconds is not None and seconds > limit + 1:
        raise MediaRefused(VIDEO_TOO_LONG, f"runs past {limit:.0f}s")


@dataclass
class Probe:
    format: str
    video_codec: str
    pix_fmt: str
    width: int  # as coded, before rotation
    height: int
    rotation: int  # counter-clockwise degrees to show it upright: 0, 90, 180 or 270
    duration: float
    audio_codec: str | None
    frame_rate: Fraction | None

    @property
    def upright(self) -> tuple[int, int]:
        turned = self.rotation in (90, 270)
        return (self.height, self.width) if turned else (self.width, self.height)


@dataclass
class VideoResult:
    still: Still  # the poster's renditions; its width and height are the video's
    duration_ms: int
    video: dict[str, Any]  # {"key", "width", "height", "bytes", "transcoded"}


@contextlib.contextmanager
def _open(path: Path, fmt: str) -> Iterator[av.container.InputContainer]:
    try:
        container = av.open(str(path), format=_DEMUXERS[fmt])
    except (av.error.FFmpegError, UnicodeDecodeError) as exc:
        raise MediaRefused(DAMAGED, f"open: {exc}") from None
    try:
        yield container
    finally:
        container.close()


def probe(path: Path, fmt: str, settings: Settings) -> Probe:
    """What the file holds, refused when it breaks a limit."""
    with _open(path, fmt) as container:
        if not container.streams.video:
            raise MediaRefused(UNSUPPORTED, "no video stream")
        stream = container.streams.video[0]
        context = stream.codec_context
        if context is None or not context.name:
            raise MediaRefused(UNSUPPORTED, "no decoder")
        width, height = context.width, context.height
        if width < 2 or height < 2:
            raise MediaRefused(DAMAGED, f"frame size {width}x{height}")
        if width * height > settings.video_max_pixels:
            raise MediaRefused(VIDEO_TOO_LARGE, f"{width}x{height}")
        duration = _header_duration(container, stream)
        if duration is not None and duration > settings.video_max_seconds:
            raise MediaRefused(VIDEO_TOO_LONG, f"{duration:.1f}s")
        audio = container.streams.audio[0] if container.streams.audio else None
        audio_codec = None
        if audio is not None:
            if audio.codec_context is None or not audio.codec_context.name:
                raise MediaRefused(UNSUPPORTED, "no audio decoder")
            audio_codec = audio.codec_context.name
        rotation = _first_frame_rotation(container, stream)
        info = Probe(
            format=fmt,
            video_codec=context.name,
            pix_fmt=context.pix_fmt or "",
            width=width,
            height=height,
            rotation=rotation,
            duration=duration or 0.0,
            audio_codec=audio_codec,
            frame_rate=stream.average_rate or stream.guessed_rate,
        )
    if duration is None:
        info.duration = _packet_duration(path, fmt)
        if info.duration > settings.video_max_seconds:
            raise MediaRefused(VIDEO_TOO_LONG, f"{info.duration:.1f}s")
    return info


def _header_duration(container: av.container.InputContainer, stream: Any) -> float | None:
    if container.duration and container.duration > 0:
        return float(container.duration) / av.time_base
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return None


def _packet_duration(path: Path, fmt: str) -> float:
    """A live recording (MediaRecorder WebM) has no duration in its header: read the packets'
    times, which costs no decoding."""
    end = 0.0
    with _open(path, fmt) as container:
        try:
            for packet in container.demux(container.streams.video[0]):
                if packet.pts is not None and packet.time_base is not None:
                    span = (packet.pts + (packet.duration or 0)) * packet.time_base
                    end = max(end, float(span))
        except av.error.FFmpegError as exc:
            raise MediaRefused(DAMAGED, f"demux: {exc}") from None
    return end


def _first_frame_rotation(container: av.container.InputContainer, stream: Any) -> int:
    try:
        for frame in container.decode(stream):
            return round(frame.rotation / 90) * 90 % 360
    except av.error.FFmpegError as exc:
        raise MediaRefused(DAMAGED, f"decode: {exc}") from None
    raise MediaRefused(DAMAGED, "no frames")


def upright_image(image: Image.Image, rotation: int) -> Image.Image:
    """PyAV reports the rotation but `to_image()` does not apply it (PIL turns counter-clockwise
    too)."""
    turns = {
        90: Image.Transpose.ROTATE_90,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_270,
    }
    return image.transpose(turns[rotation]) if rotation in turns else image


def poster_image(path: Path, fmt: str, info: Probe) -> Image.Image:
    at = min(POSTER_AT_SECONDS, info.duration / 4)
    chosen = None
    with _open(path, fmt) as container:
        try:
            for frame in container.decode(container.streams.video[0]):
                chosen = frame
                if frame.time is None or frame.time >= at:
                    break
        except av.error.FFmpegError as exc:
            raise MediaRefused(DAMAGED, f"decode: {exc}") from None
        if chosen is None:
            raise MediaRefused(DAMAGED, "no frames")
        return upright_image(chosen.to_image(), info.rotation)


def web_playable(info: Probe, settings: Settings) -> bool:
    return (
        info.video_codec == "h264"
        and info.pix_fmt in _PLAYABLE_PIX_FMTS
        and info.audio_codec in (None, "aac")
        and info.format in ("mp4", "mov", "m4v")
        and min(info.upright) <= settings.video_output_height
        and (info.frame_rate is None or info.frame_rate <= MAX_FPS)
    )


def process_video(
    path: Path,
    fmt: str,
    settings: Settings,
    storage: Storage,
    prefix: str,
    *,
    threads: int = 1,
    stop: threading.Event | None = None,
) -> VideoResult:
    info = probe(path, fmt, settings)
    still = render_still(poster_image(path, fmt, info), settings, storage, prefix)
    handle, staged = storage.staging_file()
    handle.close()
    key = f"{prefix}/video.mp4"
    try:
        transcoded = not web_playable(info, settings)
        if transcoded:
            width, height = _transcode(path, fmt, info, settings, staged, threads, stop)
        else:
            _remux(path, fmt, settings, staged, stop)
            width, height = info.upright
        size = staged.stat().st_size
        storage.save_file(key, staged)
    finally:
        staged.unlink(missing_ok=True)
    still.width, still.height = info.upright
    return VideoResult(
        still=still,
        duration_ms=round(info.duration * 1000),
        video={
            "key": key,
            "width": width,
            "height": height,
            "bytes": size,
            "transcoded": transcoded,
        },
    )


def _output(path: Path) -> av.container.OutputContainer:
    # faststart: the index goes before the data, so a browser can start playing at once.
    return av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"})


def _remux(
    path: Path, fmt: str, settings: Settings, target: Path, stop: threading.Event | None
) -> None:
    """Copy the H.264 and AAC packets into a fresh MP4: no decoding, no metadata carried."""
    with _open(path, fmt) as source:
        video = source.streams.video[0]
        audio = source.streams.audio[0] if source.streams.audio else None
        output = _output(target)
        try:
            mapping: dict[int, Any] = {video.index: output.add_stream_from_template(video)}
            if audio is not None:
                mapping[audio.index] = output.add_stream_from_template(audio)
            streams: list[Any] = [video] + ([audio] if audio is not None else [])
            for packet in source.demux(streams):
                if packet.dts is None:  # the demuxer's end-of-stream marker
                    continue
                _check(stop, _seconds(packet), settings.video_max_seconds)
                packet.stream = mapping[packet.stream.index]
                output.mux(packet)
        except av.error.FFmpegError as exc:
            raise MediaRefused(DAMAGED, f"remux: {exc}") from None
        finally:
            output.close()


def output_size(info: Probe, settings: Settings) -> tuple[int, int]:
    """Coded size of the transcode (before turning): the short side at most
    `video_output_height`, both sides even (4:2:0 needs it)."""
    scale = min(1.0, settings.video_output_height / min(info.width, info.height))
    return (
        max(2, int(info.width * scale) // 2 * 2),
        max(2, int(info.height * scale) // 2 * 2),
    )


def _filters(info: Probe, source: Any, size: tuple[int, int], fps: Fraction | None) -> Any:
    graph = av.filter.Graph()
    nodes = [graph.add_buffer(template=source)]
    nodes.append(graph.add("scale", f"w={size[0]}:h={size[1]}"))
    if info.rotation == 90:
        nodes.append(graph.add("transpose", "cclock"))
    elif info.rotation == 270:
        nodes.append(graph.add("transpose", "clock"))
    elif info.rotation == 180:
        nodes.append(graph.add("hflip"))
        nodes.append(graph.add("vflip"))
    if fps is not None:
        nodes.append(graph.add("fps", f"fps={fps}"))
    nodes.append(graph.add("format", "pix_fmts=yuv420p"))
    nodes.append(graph.add("buffersink"))
    graph.link_nodes(*nodes)
    graph.configure()
    return graph


def _seconds(packet: Any) -> float | None:
    if packet.pts is None or packet.time_base is None:
        return None
    return float(packet.pts * packet.time_base)


def _transcode(
    path: Path,
    fmt: str,
    info: Probe,
    settings: Settings,
    target: Path,
    threads: int,
    stop: threading.Event | None,
) -> tuple[int, int]:
    size = output_size(info, settings)
    upright = (size[1], size[0]) if info.rotation in (90, 270) else size
    too_fast = info.frame_rate is not None and info.frame_rate > MAX_FPS
    rate = Fraction(MAX_FPS) if too_fast or not info.frame_rate else info.frame_rate
    with _open(path, fmt) as source:
        in_video = source.streams.video[0]
        in_video.thread_type = "AUTO"
        in_video.codec_context.thread_count = threads
        in_audio = source.streams.audio[0] if source.streams.audio else None
        graph = _filters(info, in_video, size, Fraction(MAX_FPS) if too_fast else None)
        output = _output(target)
        try:
            out_video = output.add_stream("libx264", rate=rate)
            out_video.width, out_video.height = upright
            out_video.pix_fmt = "yuv420p"
            out_video.codec_context.thread_count = threads
            out_video.codec_context.options = {"preset": X264_PRESET, "crf": X264_CRF}
            audio_out = _audio_output(output, in_audio) if in_audio is not None else None
            streams = [in_video] + ([in_audio] if in_audio is not None else [])
            for packet in source.demux(streams):
                _check(stop, _seconds(packet), settings.video_max_seconds)
                for frame in packet.decode():
                    if packet.stream is in_video:
                        graph.push(frame)
                        _drain(graph, output, out_video)
                    elif audio_out is not None:
                        _encode_audio(output, audio_out, frame)
            graph.push(None)
            _drain(graph, output, out_video)
            output.mux(out_video.encode(None))
            if audio_out is not None:
                _encode_audio(output, audio_out, None)
        except av.error.FFmpegError as exc:
            raise MediaRefused(DAMAGED, f"transcode: {exc}") from None
        finally:
            output.close()
    return upright


def _drain(graph: Any, output: av.container.OutputContainer, stream: Any) -> None:
    while True:
        try:
            frame = graph.pull()
        except (av.error.BlockingIOError, av.error.EOFError):
            return
        output.mux(stream.encode(frame))


@dataclass
class _AudioOut:
    stream: Any
    resampler: av.AudioResampler


def _audio_output(output: av.container.OutputContainer, source: Any) -> _AudioOut:
    context = source.codec_context
    rate = context.sample_rate if context.sample_rate in _AAC_RATES else 48_000
    channels = context.layout.nb_channels if context.layout else 2
    layout = "mono" if channels == 1 else "stereo"
    stream = output.add_stream("aac", rate=rate)
    stream.layout = layout
    stream.bit_rate = AUDIO_BIT_RATE
    return _AudioOut(stream, av.AudioResampler(format="fltp", layout=layout, rate=rate))


def _encode_audio(output: av.container.OutputContainer, audio: _AudioOut, frame: Any) -> None:
    for resampled in audio.resampler.resample(frame):
        output.mux(audio.stream.encode(resampled))
    if frame is None:
        output.mux(audio.stream.encode(None))
