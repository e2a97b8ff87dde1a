"""The NudeNet image classifier: which labels count, decoding what our media pipeline writes,
one detector per process, and the evaluation on the shipped safe set and on an operator's own
labelled directory or TSV. No explicit image is shipped: only false positives are measured
here."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from redleaf.moderation.classifiers import nudity
from redleaf.moderation.classifiers.base import ClassifierRegistry
from redleaf.moderation.classifiers.evaluate import evaluate


def _encoded(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def test_the_counted_labels_are_nudenet_labels() -> None:
    import nudenet.nudenet as model

    known = set(model.__labels)  # type: ignore[attr-defined]
    assert known >= nudity.EXPOSED_LABELS
    assert "MALE_BREAST_EXPOSED" in known - nudity.EXPOSED_LABELS  # beach and gym photos
    assert not {label for label in nudity.EXPOSED_LABELS if label.endswith("_COVERED")}


def test_the_score_is_the_strongest_exposed_part() -> None:
    found = [
        {"class": "FACE_FEMALE", "score": 0.95},
        {"class": "FEMALE_BREAST_COVERED", "score": 0.9},
        {"class": "BUTTOCKS_EXPOSED", "score": 0.41},
        {"class": "FEMALE_BREAST_EXPOSED", "score": 0.83},
    ]
    assert nudity.nudity_score(found) == pytest.approx(0.83)
    assert nudity.nudity_score(found[:2]) == 0.0
    assert nudity.nudity_score([]) == 0.0


def test_the_detector_loads_once_across_threads() -> None:
    seen: list[object] = []
    threads = [threading.Thread(target=lambda: seen.append(nudity.detector())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(found) for found in seen}) == 1


def test_pixels_from_every_shape_of_input(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (400, 300), (10, 200, 30, 0))  # transparent: shown over white
    pixels = nudity.load_pixels(_encoded(rgba, "PNG"))
    assert pixels.shape == (300, 400, 3) and pixels[0, 0].tolist() == [255, 255, 255]
    grey = tmp_path / "grey.webp"
    Image.new("L", (2000, 1000), 90).save(grey, "WEBP")
    assert nudity.load_pixels(grey).shape == (640, 1280, 3)  # at most MAX_SIDE a side
    blue = nudity.load_pixels(_encoded(Image.new("RGB", (50, 50), (0, 0, 255)), "PNG"))
    assert blue[0, 0].tolist() == [255, 0, 0]  # BGR, as NudeNet reads files
    with pytest.raises(nudity.ImageUnreadable):
        nudity.load_pixels(b"not an image")


def test_the_shipped_safe_set_raises_no_flag(tmp_path: Path) -> None:
    rows = nudity.read_image_labels(nudity.draw_safe_set(tmp_path))
    assert len(rows) >= 10 and {label for label, _ in rows} == {"ok"}
    classifier = nudity.NudityClassifier()
    scores = classifier.score_images([path for _, path in rows])
    assert max(scores) < nudity.DEFAULT_THRESHOLD
    result = nudity.evaluate_images(rows, classifier=classifier)
    assert (result.false_positives, result.true_negatives, result.support) == (0, len(rows), 0)


def test_an_operators_labelled_directory_and_tsv(tmp_path: Path) -> None:
    """The plumbing of a full evaluation: positives are the rows labelled nudity (here stand-ins
    drawn safe, so the detector rightly misses them and recall is 0)."""
    drawn = tmp_path / "drawn"
    nudity.draw_safe_set(drawn)
    labelled = tmp_path / "labelled"
    (labelled / "ok").mkdir(parents=True)
    (labelled / "nudity").mkdir()
    (drawn / "landscape.webp").rename(labelled / "ok" / "landscape.webp")
    (drawn / "beach.webp").rename(labelled / "nudity" / "stand-in.webp")
    rows = nudity.read_image_labels(labelled)
    assert sorted(label for label, _ in rows) == ["nudity", "ok"]
    result = nudity.evaluate_images(rows)
    assert (result.support, result.true_positives, result.true_negatives) == (1, 0, 1)

    tsv = tmp_path / "labels.tsv"
    tsv.write_text("label\tpath\nok\tlabelled/ok/landscape.webp\n", encoding="utf-8")
    assert nudity.read_image_labels(tsv) == [("ok", labelled / "ok" / "landscape.webp")]
    bad = tmp_path / "bad.tsv"
    bad.write_text("label\tlang\nok\ten\n", encoding="utf-8")
    with pytest.raises(ValueError, match="label and path"):
        nudity.read_image_labels(bad)


def test_it_fits_the_classifier_registry_and_the_text_evaluation(tmp_path: Path) -> None:
    """Registered by name, `redleaf moderation evaluate --classifier nudity` reads a TSV whose
    text column holds image paths."""
    registry = ClassifierRegistry()
    registry.register(nudity.NUDITY_NAME, nudity.NudityClassifier)
    classifier = registry.get("nudity")
    paths = [str(path) for _, path in nudity.read_image_labels(nudity.draw_safe_set(tmp_path))]
    result = evaluate(classifier, [("ok", path) for path in paths])
    assert result.threshold == nudity.DEFAULT_THRESHOLD
    assert result.false_positives == 0


def test_the_command_says_what_the_shipped_set_measures(tmp_path: Path) -> None:
    runner = CliRunner()
    shipped = runner.invoke(nudity.evaluate_images_command, [])
    assert shipped.exit_code == 0, shipped.output
    assert "false positives: 0 of" in shipped.output
    assert "measures false positives, not recall" in shipped.output
    labels = nudity.draw_safe_set(tmp_path)
    own = runner.invoke(nudity.evaluate_images_command, [str(labels), "--threshold", "0.5"])
    assert own.exit_code == 0, own.output
    assert "0.500" in own.output and "not recall" not in own.output
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = runner.invoke(nudity.evaluate_images_command, [str(empty)])
    assert refused.exit_code == 1 and "no labelled images" in refused.output
