"""Photos processed per second per core, and memory per worker process, against plain Pillow
measured in the same run.

    .venv/bin/python bench/media.py              # ~6 minutes on two cores
    .venv/bin/python bench/media.py --quick      # ~2 minutes
    .venv/bin/python bench/media.py --seconds 20 --no-heic --no-video

1. Inputs drawn by code: distinct 12-megapixel (4000×3000) phone-like JPEGs (quality 92, EXIF
   with GPS, half of them with orientation 6) and, unless --no-heic, 12-megapixel HEICs.
2. Each method runs in fresh worker processes (spawned, so each one's peak RSS is its own):
   - `redleaf`: `redleaf.media.process.process_upload`, the function the job runs: structure
     check, decode, sRGB, orientation, renditions at 360/720/1080 (WebP), placeholder colour.
   - `pillow decode+save`: the ceiling the issue names: `Image.open` + full decode + one save
     of the whole picture as JPEG (quality 82) — every pixel read and written once.
   - `pillow naive`: what a first implementation does: full decode, `exif_transpose`, three
     `thumbnail`s, three WebP saves at Pillow's default effort.
   First with one worker process (photos/s on one core), then with one per core.
3. Per row: photos/s, photos/s per worker, CPU ms per photo (the worker's own user+sys time:
   the per-core cost that holds on a shared machine), and the worst worker's peak RSS (VmHWM)
   with its growth over the same process idle after imports and one warm-up photo.
4. Unless --no-video: one 10 s 1080p MPEG-4 clip (made with PyAV) through `process_upload`:
   a transcode to H.264/AAC, reported as seconds of video per second of wall time.

The load check at the start says whether someone else is using the cores: quote ratios from
one run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CORES = os.cpu_count() or 1
SIDE = (4000, 3000)  # 12 megapixels, a phone's main camera


# --- inputs ---------------------------------------------------------------------------------------


def photo(seed: int) -> Any:
    """A photo-like picture: smooth gradients, grain and shapes (it compresses like a photo,
    not like a flat test card)."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = SIDE
    grain = Image.effect_noise((width // 4, height // 4), 28 + seed).resize(SIDE, Image.BICUBIC)
    sky = Image.linear_gradient("L").resize(SIDE).rotate(seed * 37 % 360)
    glow = Image.radial_gradient("L").resize(SIDE)
    image = Image.merge("RGB", (grain, sky, glow))
    draw = ImageDraw.Draw(image)
    for index in range(40):
        x = (seed * 7919 + index * 104729) % width
        y = (seed * 3571 + index * 1299709) % height
        radius = 60 + (index * seed * 13) % 400
        colour = ((index * 53 + seed) % 256, (index * 97) % 256, (index * 31 + seed * 7) % 256)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    # Sensor grain at full resolution: it is what makes a phone's JPEG 3-5 MB, not 1.
    grain = Image.merge("RGB", [Image.effect_noise(SIDE, 24 + seed + i) for i in range(3)])
    return Image.blend(image, grain, 0.18)


def exif(orientation: int) -> bytes:
    from PIL import Image

    data = Image.Exif()
    data[0x010F], data[0x0110], data[0x0112] = "Phone", "Phone 15", orientation
    gps = data.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (31.0, 13.0, 50.0), "E", (121.0, 28.0, 25.0)
    return data.tobytes()


def make_inputs(folder: Path, count: int, heic: bool) -> dict[str, list[Path]]:
    import pillow_heif

    pillow_heif.register_heif_opener()
    inputs: dict[str, list[Path]] = {"jpeg": [], "heic": []}
    for seed in range(count):
        image = photo(seed + 1)
        path = folder / f"photo{seed}.jpg"
        image.save(path, "JPEG", quality=92, exif=exif(6 if seed % 2 else 1))
        inputs["jpeg"].append(path)
        if heic and seed < max(2, count // 2):
            heif = folder / f"photo{seed}.heic"
            image.save(heif, "HEIF", quality=80, exif=exif(1))
            inputs["heic"].append(heif)
    return inputs


def make_video(folder: Path, seconds: int) -> Path:
    import av
    from PIL import Image

    path = folder / "clip.mov"
    base = photo(3).resize((1920, 1080))
    with av.open(str(path), "w", format="mov") as output:
        stream = output.add_stream("mpeg4", rate=30)
        stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
        stream.bit_rate = 8_000_000
        for index in range(seconds * 30):
            frame = base.transform(
                base.size, Image.AFFINE, (1, 0, index * 4 % 400, 0, 1, index % 90)
            )
            output.mux(stream.encode(av.VideoFrame.from_image(frame)))
        output.mux(stream.encode(None))
    return path


# --- the worker processes -------------------------------------------------------------------------


def _memory(field: str) -> int:
    """VmRSS (now) or VmHWM (the peak) of this process, in bytes. Not getrusage's maxrss: Linux
    carries that across exec, so a spawned worker would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    return psutil.Process().memory_info().rss


def _prepare(method: str, media_dir: str) -> Any:
    """Import what the method needs and return a callable taking one input path."""
    from PIL import Image, ImageOps

    import redleaf.media.images  # noqa: F401  (registers the HEIF opener, as in the job)

    if method == "redleaf":
        from redleaf.media.process import process_upload
        from redleaf.media.sniff import sniff
        from redleaf.media.storage import LocalStorage, new_token, original_key
        from redleaf.settings import Settings

        settings = Settings(var_dir=Path(media_dir), media_dir=Path(media_dir))
        storage = LocalStorage(Path(media_dir))
        keys: dict[Path, tuple[str, str, str]] = {}

        def run(path: Path) -> None:
            if path not in keys:
                sniffed = sniff(path.read_bytes()[:64])
                assert sniffed is not None
                key = original_key(new_token())
                storage.save_file(key, Path(shutil.copy(path, storage.root / "in")))
                keys[path] = (key, sniffed.kind, sniffed.format)
            key, kind, fmt = keys[path]
            outcome = process_upload(storage, settings, kind=kind, fmt=fmt, original_key=key)
            assert outcome.state == "ready", outcome.error_code

        (Path(media_dir)).mkdir(parents=True, exist_ok=True)
        return run

    if method == "pillow decode+save":

        def run(path: Path) -> None:
            with Image.open(path) as image:
                image.load()
                image.convert("RGB").save(io.BytesIO(), "JPEG", quality=82)

        return run

    def naive(path: Path) -> None:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        for width in (1080, 720, 360):
            copy = image.copy()
            copy.thumbnail((width, width * 100))
            copy.save(io.BytesIO(), "WEBP", quality=80)

    return naive


def worker(
    method: str, files: list[str], seconds: float, media_dir: str, barrier: Any, results: Any
) -> None:
    run = _prepare(method, media_dir)
    paths = [Path(f) for f in files]
    run(paths[0])  # warm-up: first-call costs (codec set-up) are not the steady state
    idle = _memory("VmRSS")
    barrier.wait()
    me = psutil.Process()
    cpu_start = sum(me.cpu_times()[:2])
    start = time.perf_counter()
    done = 0
    while time.perf_counter() - start < seconds or done == 0:
        run(paths[done % len(paths)])
        done += 1
    elapsed = time.perf_counter() - start
    cpu = sum(me.cpu_times()[:2]) - cpu_start
    results.put((done, elapsed, cpu, _memory("VmHWM"), idle))


@dataclass
class Row:
    method: str
    kind: str
    workers: int
    photos: int
    wall: float
    cpu: float
    peak_mb: float
    growth_mb: float

    @property
    def per_second(self) -> float:
        return self.photos / self.wall

    @property
    def cpu_ms(self) -> float:
        return self.cpu / self.photos * 1000


def measure(method: str, kind: str, files: list[Path], workers: int, seconds: float) -> Row:
    context = get_context("spawn")
    barrier = context.Barrier(workers)
    results = context.Queue()
    media = Path(tempfile.mkdtemp(prefix="redleaf-bench-media-"))
    processes = [
        context.Process(
            target=worker,
            args=(method, [str(f) for f in files], seconds, str(media / str(n)), barrier, results),
        )
        for n in range(workers)
    ]
    try:
        for process in processes:
            process.start()
        outcomes = [results.get(timeout=seconds * 20 + 120) for _ in processes]
        for process in processes:
            process.join()
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return Row(
        method=method,
        kind=kind,
        workers=workers,
        photos=sum(o[0] for o in outcomes),
        wall=max(o[1] for o in outcomes),
        cpu=sum(o[2] for o in outcomes),
        peak_mb=max(o[3] for o in outcomes) / 1e6,
        growth_mb=max(o[3] - o[4] for o in outcomes) / 1e6,
    )


def video_row(path: Path, runs: int) -> tuple[float, float, float, float]:
    """(seconds of video, wall seconds, CPU seconds, peak RSS MB) of transcoding it."""
    context = get_context("spawn")
    results = context.Queue()
    media = Path(tempfile.mkdtemp(prefix="redleaf-bench-video-"))
    process = context.Process(target=_video_worker, args=(str(path), str(media), runs, results))
    try:
        process.start()
        outcome = results.get(timeout=900)
        process.join()
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return outcome  # type: ignore[no-any-return]


def _video_worker(path: str, media_dir: str, runs: int, results: Any) -> None:
    from redleaf.media.process import process_upload
    from redleaf.media.storage import LocalStorage, new_token, original_key
    from redleaf.settings import Settings

    settings = Settings(var_dir=Path(media_dir), media_dir=Path(media_dir))
    storage = LocalStorage(Path(media_dir))
    key = original_key(new_token())
    storage.save_bytes(key, Path(path).read_bytes())
    me = psutil.Process()
    cpu_start, start = sum(me.cpu_times()[:2]), time.perf_counter()
    duration = 0.0
    for _ in range(runs):
        outcome = process_upload(storage, settings, kind="video", fmt="mov", original_key=key)
        assert outcome.state == "ready" and outcome.renditions["video"]["transcoded"]
        duration += (outcome.duration_ms or 0) / 1000
    wall, cpu = time.perf_counter() - start, sum(me.cpu_times()[:2]) - cpu_start
    results.put((duration, wall, cpu, _memory("VmHWM") / 1e6))


# --- main -----------------------------------------------------------------------------------------


def machine() -> str:
    model = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    import av
    import PIL

    return (
        f"{CORES} cores ({model}), Python {platform.python_version()}, Pillow {PIL.__version__},"
        f" PyAV {av.__version__}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured seconds per row")
    parser.add_argument("--photos", type=int, default=4, help="distinct inputs per format")
    parser.add_argument("--no-heic", action="store_true")
    parser.add_argument("--no-video", action="store_true")
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.photos = 3.0, 2

    print(f"machine: {machine()}")
    psutil.cpu_percent()
    time.sleep(1.0)
    load = psutil.cpu_percent() / 100
    print(f"machine load before the run: {load:.0%} of the cores busy")
    if load > 0.05:
        print("    WARNING: something else is running; its load skews the ratios")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}\n")

    folder = Path(tempfile.mkdtemp(prefix="redleaf-bench-inputs-"))
    rows: list[Row] = []
    try:
        inputs = make_inputs(folder, args.photos, heic=not args.no_heic)
        sizes = {kind: sum(p.stat().st_size for p in paths) / max(1, len(paths)) / 1e6
                 for kind, paths in inputs.items() if paths}  # fmt: skip
        print(
            "inputs: "
            + ", ".join(f"{len(inputs[k])} {k} ({sizes[k]:.1f} MB each)" for k in sizes)
            + f", {SIDE[0]}×{SIDE[1]}\n"
        )
        methods = ("redleaf", "pillow decode+save", "pillow naive")
        for kind, paths in inputs.items():
            if not paths:
                continue
            for workers in sorted({1, CORES}):
                for method in methods:
                    row = measure(method, kind, paths, workers, args.seconds)
                    rows.append(row)
                    print(
                        f"  {kind:5} {method:19} workers={workers}: {row.per_second:6.2f}/s",
                        flush=True,
                    )
        print()
        print(
            "| input | method | workers | photos/s | photos/s per worker | CPU ms/photo "
            "| peak RSS MB/worker | growth MB |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for row in rows:
            print(
                f"| {row.kind} 12 MP | {row.method} | {row.workers} | {row.per_second:.2f} "
                f"| {row.per_second / row.workers:.2f} | {row.cpu_ms:.0f} | {row.peak_mb:.0f} "
                f"| {row.growth_mb:.0f} |"
            )
        print()
        for kind in inputs:
            by = {(r.method, r.workers): r for r in rows if r.kind == kind}
            ours = by.get(("redleaf", 1))
            if ours is None:
                continue
            for other in methods[1:]:
                base = by[(other, 1)]
                print(
                    f"{kind}: redleaf does {ours.cpu_ms / base.cpu_ms:.2f}× the CPU per photo of "
                    f"{other} ({ours.cpu_ms:.0f} vs {base.cpu_ms:.0f} ms)"
                )
            wide = by.get(("redleaf", CORES))
            if wide is not None and CORES > 1:
                print(
                    f"{kind}: {CORES} workers give {wide.per_second / ours.per_second:.2f}× "
                    f"the photos/s of one"
                )
        if not args.no_video:
            seconds = 4 if args.quick else 10
            clip = make_video(folder, seconds)
            duration, wall, cpu, peak = video_row(clip, 1)
            print(
                f"\nvideo: {duration:.0f} s of 1080p30 MPEG-4 → H.264/AAC MP4 in {wall:.1f} s wall "
                f"({duration / wall:.2f}× real time), {cpu:.1f} CPU s, peak RSS {peak:.0f} MB"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
