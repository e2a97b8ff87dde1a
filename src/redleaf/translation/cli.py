"""`redleaf translation ...`: operator commands for the translation engines.

The group loads without the optional extra `[mt]`; a command that needs torch or transformers
says so and exits with status 2 instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

import click

from redleaf.translation.modelimport import (
    QUANTIZATIONS,
    ExtraMissing,
    ImportModelError,
    import_marian,
)

EXIT_EXTRA_MISSING = 2


@click.group("translation")
def translation() -> None:
    """Translation engines: import OPUS-MT models and check them."""


@translation.command("import-model")
@click.argument(
    "source_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    metavar="SOURCE_DIR",
)
@click.option(
    "--to",
    "destination",
    required=True,
    type=click.Path(path_type=Path),
    help="Directory to write, e.g. var/models/opus-mt-en-zh (one directory per direction).",
)
@click.option(
    "--quantization",
    type=click.Choice(QUANTIZATIONS),
    default="int8",
    show_default=True,
    help="Weight type of the converted model; int8 is smallest and fastest on CPUs.",
)
@click.option("--source", default=None, help="Source language if the name does not tell (en).")
@click.option("--target", default=None, help="Target language if the name does not tell (zh-Hans).")
@click.option(
    "--source-prefix",
    default=None,
    help="Token put before every source sentence, e.g. '>>cmn_Hans<<' (default: detected).",
)
@click.option("--force", is_flag=True, help="Replace a model already in the destination.")
def import_model(
    source_dir: Path,
    destination: Path,
    quantization: str,
    source: str | None,
    target: str | None,
    source_prefix: str | None,
    force: bool,
) -> None:
    """Convert a Hugging Face Marian directory (such as a clone of Helsinki-NLP/opus-mt-en-zh)
    into a CTranslate2 model for the ct2 engine."""
    try:
        result = import_marian(
            source_dir,
            destination,
            quantization=quantization,
            source=source,
            target=target,
            source_prefix=source_prefix,
            force=force,
        )
    except ExtraMissing as error:
        click.echo(f"Error: {error}", err=True)
        raise click.exceptions.Exit(EXIT_EXTRA_MISSING) from None
    except ImportModelError as error:
        raise click.ClickException(str(error)) from None
    manifest = result.manifest
    directory = result.directory.resolve()
    click.echo(
        f"Imported {manifest.source} → {manifest.target} from {manifest.source_model} "
        f"into {directory} ({quantization}, model.bin sha256 {manifest.model_sha256[:12]})."
    )
    if manifest.source_prefix:
        click.echo(f"Each source sentence will start with {manifest.source_prefix}.")
    click.echo("The ct2 engine serves every direction found in one folder; set:")
    click.echo(f"  REDLEAF_TRANSLATION_MODELS_DIR={directory.parent}")


@translation.command("eval")
@click.option(
    "--pairs",
    "pairs_file",
    required=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Tab-separated: source language, target language, source, reference.",
)
@click.option("--engine", default=None, help="Score this engine (default: the first configured).")
def eval_command(pairs_file: Path, engine: str | None) -> None:
    """Print chrF, BLEU and sentences per second of the configured engine on a file of pairs."""
    import asyncio

    from redleaf.settings import load_settings
    from redleaf.translation.evaluate import PairsFileError, evaluate, format_scores, read_pairs

    try:
        pairs = read_pairs(pairs_file)
    except PairsFileError as error:
        raise click.ClickException(str(error)) from None
    settings = load_settings()
    scores = asyncio.run(_evaluate(settings, pairs, engine, evaluate))
    if not scores:
        raise click.ClickException("no configured engine translates the file's language pairs")
    click.echo(format_scores(scores))


async def _evaluate(settings, pairs, engine, evaluate):  # type: ignore[no-untyped-def]
    from redleaf.kit.runtime import Runtime
    from redleaf.translation import glossary_store
    from redleaf.translation.setup import build_engines

    runtime = Runtime.build(settings)
    engines = build_engines(settings)
    try:
        glossary = await glossary_store.current(runtime)
        return await evaluate(pairs, engines, glossary.glossary, only=engine)
    finally:
        for each in engines:
            await each.aclose()
        await runtime.close()
