from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from redleaf.moderation.classifiers.embedding import load
from redleaf.moderation.classifiers.training import HELDOUT_PATH, SEED_PATH
from redleaf.moderation.cli import moderation, set_decision_source


def small_seed(tmp_path: Path) -> Path:
    lines = SEED_PATH.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "seed.tsv"
    path.write_text("\n".join([lines[0], *lines[1::8]]) + "\n", encoding="utf-8")  # 50 rows
    return path


def test_train_writes_a_model(tmp_path: Path) -> None:
    output = tmp_path / "heads.npz"
    set_decision_source(lambda: [("spam", "follow me for follow back, link in bio")])
    result = CliRunner().invoke(
        moderation,
        [
            "train",
            "--seed", str(small_seed(tmp_path)),
            "--output", str(output),
            "--cache-dir", str(tmp_path / "cache"),
            "--from-decisions",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "trained on 51 rows (1 extra)" in result.output
    assert load(output).training_size == 51


def test_train_refuses_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("label\tlang\ttext\nnsfw\ten\tsomething\n", encoding="utf-8")
    result = CliRunner().invoke(
        moderation,
        ["train", "--seed", str(bad), "--output", str(tmp_path / "m.npz")],
    )
    assert result.exit_code == 1 and "unknown labels: nsfw" in result.output


def test_evaluate_prints_a_table(tmp_path: Path) -> None:
    lines = HELDOUT_PATH.read_text(encoding="utf-8").splitlines()
    sample = tmp_path / "sample.tsv"
    sample.write_text("\n".join([lines[0], *lines[1::4]]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        moderation,
        ["evaluate", "--file", str(sample), "--classifier", "scam", "--classifier", "profanity_en"],
    )
    assert result.exit_code == 0, result.output
    header, rule, scam, profanity, footer = result.output.strip().splitlines()
    assert header.split()[:4] == ["classifier", "threshold", "precision", "recall"]
    assert scam.split()[0] == "scam" and profanity.split()[0] == "profanity_en"
    assert footer.startswith("20 rows")


def test_evaluate_names_unknown_classifiers() -> None:
    result = CliRunner().invoke(
        moderation, ["evaluate", "--file", str(HELDOUT_PATH), "--classifier", "nudity"]
    )
    assert result.exit_code == 1 and "unknown classifier 'nudity'" in result.output


def test_check_policy_accepts_the_shipped_file_and_names_a_broken_rule(tmp_path: Path) -> None:
    from redleaf.moderation.policy import load_default_policy  # noqa: F401  (the shipped file)

    shipped = Path(__file__).parents[2] / "src/redleaf/moderation/data/default_policy.yaml"
    ok = CliRunner().invoke(moderation, ["check-policy", str(shipped)])
    assert ok.exit_code == 0, ok.output
    assert "rules" in ok.output and "terms" in ok.output
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        "version: 1\nrules:\n  - code: bad\n    name: {en: Bad, zh: 坏}\n"
        "    matcher: {kind: pattern, pattern: '(a+)+$'}\n    action: hold\n",
        encoding="utf-8",
    )
    refused = CliRunner().invoke(moderation, ["check-policy", str(broken)])
    assert refused.exit_code == 1 and "bad" in refused.output
