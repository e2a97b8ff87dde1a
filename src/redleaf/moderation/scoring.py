"""The scores of the model checks (jobs.py): what the policy's classifier and spam-signal rules
read from `Content.scores`.

    text classifiers   the registry's models that a rule of this content kind names (loading a
                       model costs seconds, scoring one text ~10-100 ms: nothing else runs)
    "duplicate"        the closest recent post by another account (SimHash, duplicates.py); the
                       index lives on the runtime (per process), and texts too short to mean
                       anything ("好看", "love this!") are neither checked nor added
    "links", "mentions" link and mention spam (signals.py)
    "burst"            posts in the last minute, when the caller counted them (the job counts
                       in the database, so a retried job does not count twice)
    "nudity"           NudeNet on the images, the highest score of them, when
                       `moderation_image_model` is on and a rule reads it

Model work runs on the runtime's one "moderation" thread: never on the event loop, and never
more than one model at a time in a process, so a backlog of checks cannot take the cores the
requests need.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from redleaf.kit.cpu import BoundedPool
from redleaf.kit.runtime import Runtime
from redleaf.media.storage import Storage, storage_for
from redleaf.moderation.classifiers.base import ClassifierRegistry, registry
from redleaf.moderation.classifiers.defaults import register_defaults
from redleaf.moderation.classifiers.duplicates import DuplicateIndex, normalise
from redleaf.moderation.classifiers.nudity import NUDITY_NAME, ImageUnreadable, NudityClassifier
from redleaf.moderation.classifiers.signals import burst_score, link_spam, mention_spam
from redleaf.moderation.engine import Engine
from redleaf.moderation.normalize import has_cjk
from redleaf.moderation.pipeline import engine_for

log = logging.getLogger("redleaf.moderation")

SCORED_MATCHERS = ("classifier", "spam_signal")
IMAGE_KIND = "image"
IMAGE_CLASSIFIERS = frozenset({NUDITY_NAME})
# A text is checked for copies only from this weight (letters and digits after normalisation,
# a CJK character counting 2): shorter texts are the same everywhere by nature.
MIN_DUPLICATE_WEIGHT = 28
# "burst": posts / BURST_LIMIT in the last BURST_WINDOW_SECONDS (the default rule fires at 0.9,
# the 9th comment within a minute).
BURST_LIMIT = 10
BURST_WINDOW_SECONDS = 60.0

_POOL = "moderation.pool"
_DUPLICATES = "moderation.duplicates"
_NUDITY = "moderation.nudity"
# A test or an operator's plugin may put its own ClassifierRegistry here.
REGISTRY = "moderation.classifiers"

_defaults_lock = threading.Lock()
_defaults_registered = False


def needed_scores(engine: Engine, kind: str) -> frozenset[str]:
    """The score names that the enabled classifier and spam-signal rules of `kind` read."""
    return frozenset(
        rule.matcher.name
        for rule in engine.rules
        if rule.matcher.kind in SCORED_MATCHERS
        and rule.matcher.name is not None
        and kind in rule.scope.kinds
    )


def classifier_registry(runtime: Runtime) -> ClassifierRegistry:
    """The runtime's registry if one was set, else the process-wide one with the shipped
    classifiers (registered once; they load on first use)."""
    own = runtime.extras.get(REGISTRY)
    if isinstance(own, ClassifierRegistry):
        return own
    global _defaults_registered
    if not _defaults_registered:
        with _defaults_lock:
            if not _defaults_registered:
                register_defaults(registry)
                _defaults_registered = True
    return registry


def duplicate_index(runtime: Runtime) -> DuplicateIndex:
    found = runtime.extras.get(_DUPLICATES)
    if not isinstance(found, DuplicateIndex):
        found = runtime.extras[_DUPLICATES] = DuplicateIndex()
    return found


def model_pool(runtime: Runtime) -> BoundedPool:
    """One thread for the models of this process (see the module's docstring)."""
    pool = runtime.extras.get(_POOL)
    if not isinstance(pool, BoundedPool):
        pool = runtime.extras[_POOL] = BoundedPool(1, queue_max=100_000, name="moderation")
    return pool


def nudity_classifier(runtime: Runtime) -> NudityClassifier:
    found = runtime.extras.get(_NUDITY)
    if not isinstance(found, NudityClassifier):
        found = runtime.extras[_NUDITY] = NudityClassifier()  # the detector itself is global
    return found


def duplicate_weight(text: str) -> int:
    folded = normalise(text)
    return len(folded) + sum(1 for char in folded if has_cjk(char))


def _text_scores(found: ClassifierRegistry, names: Sequence[str], text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    for name in names:
        try:
            [scores[name]] = found.get(name).score([text])
        except Exception:  # one broken model must not stop the others, nor fail every job
            log.exception("moderation classifier %s failed", name)
    return scores


def _image_score(
    storage: Storage, classifier: NudityClassifier, images: Sequence[str | Path | bytes]
) -> float | None:
    """The highest nudity score of the images (a str is a storage key); None when none could
    be read."""
    best: float | None = None
    for image in images:
        try:
            if isinstance(image, str):
                with storage.local_path(image) as path:
                    [score] = classifier.score_images([path])
            else:
                [score] = classifier.score_images([image])
        except (FileNotFoundError, ImageUnreadable) as error:  # deleted meanwhile, or damaged
            log.warning("nudity check skipped an image: %s", error)
            continue
        best = score if best is None else max(best, score)
    return best


def _duplicate_score(index: DuplicateIndex, text: str, author: str, ref: str) -> float:
    return index.check_and_add(text, author, ref).cross_account_score


async def score_content(
    runtime: Runtime,
    *,
    kind: str,
    text: str,
    author_id: int,
    ref: str = "",
    images: Sequence[str | Path | bytes] = (),
    recent_posts: int | None = None,
    engine: Engine | None = None,
) -> dict[str, float]:
    """Every score the policy's rules for `kind` (and for images) can read, by name.

    `images` are storage keys (str) of renditions, files (Path) or encoded bytes; `ref` names the
    content for the duplicate index ("note:123"); `recent_posts` is the author's posts in the
    burst window including this one; `engine` the policy to read (default: the one this process
    holds). {} when `moderation_models` is off."""
    settings = runtime.settings
    if settings.moderation_models == "off":
        return {}
    engine = engine or engine_for(runtime)
    wanted = needed_scores(engine, kind)
    pool = model_pool(runtime)
    scores: dict[str, float] = {}
    if text.strip():
        found = classifier_registry(runtime)
        names = sorted(n for n in wanted if n in found and n not in IMAGE_CLASSIFIERS)
        if names:
            scores.update(await pool.run(_text_scores, found, names, text))
        scores["links"] = link_spam(text).score
        scores["mentions"] = mention_spam(text).score
        if duplicate_weight(text) >= MIN_DUPLICATE_WEIGHT:
            index = duplicate_index(runtime)
            scores["duplicate"] = await pool.run(_duplicate_score, index, text, str(author_id), ref)
    if recent_posts is not None:
        scores["burst"] = burst_score(recent_posts, BURST_LIMIT)
    wants_images = NUDITY_NAME in wanted or NUDITY_NAME in needed_scores(engine, IMAGE_KIND)
    if images and settings.moderation_image_model == "on" and wants_images:
        storage = storage_for(settings)
        nudity = await pool.run(_image_score, storage, nudity_classifier(runtime), images)
        if nudity is not None:
            scores[NUDITY_NAME] = nudity
    return {name: round(float(value), 4) for name, value in scores.items()}
