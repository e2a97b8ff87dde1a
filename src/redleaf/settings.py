"""Configuration from REDLEAF_* environment variables and an optional `.env` file.

Every limit a member can run into (sizes, counts, rates) is a named setting here, so an operator
can tune it without touching code. `docs/operations.md` lists them.
"""

from __future__ import annotations

import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from redleaf.kit.rates import Rate

# Rates are written "10/minute" in the environment, not as JSON.
EnvRate = Annotated[Rate, NoDecode]


def _default_host() -> str:
    return os.environ.get("HOST", "127.0.0.1")


def _default_port() -> int:
    return int(os.environ.get("PORT", "8000"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="REDLEAF_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- where things live
    var_dir: Path = Path("var")
    cache_dir: Path | None = None  # built indexes that can be rebuilt; empty: var/cache
    database_url: str = ""  # empty: SQLite at var/redleaf.db
    db_pool_size: int = 10  # connections each process keeps open
    db_max_overflow: int = 20  # extra connections in a burst
    db_pool_timeout_seconds: float = 10.0  # then a request is answered 503 with Retry-After
    redis_url: str | None = None
    redis_prefix: str = "redleaf:"
    secret_key: str = ""  # empty: generated once into var/secret_key
    host: str = Field(default_factory=_default_host)
    port: int = Field(default_factory=_default_port)
    workers: int = 1
    base_url: str = ""  # public origin, e.g. https://redleaf.example; empty: from the request
    trusted_proxies: bool = False  # honour X-Forwarded-Proto/For from a reverse proxy

    # --- logging
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"

    # --- background work
    inprocess_worker: bool = True  # `redleaf serve` also runs a job worker
    # Jobs it runs at once: a video transcode holds a slot for about the video's length, and
    # the quick jobs (publishing a note, notifications upkeep) should not wait behind it.
    inprocess_worker_concurrency: int = 2
    job_lease_seconds: float = 60.0
    job_poll_seconds: float = 1.0
    job_max_attempts: int = 8
    job_keep_done_days: int = 7  # finished jobs are pruned after this; dead ones are kept
    job_backoff_base_seconds: float = 2.0
    job_backoff_max_seconds: float = 3600.0
    job_modules: list[str] = []  # extra modules to import so their handlers register (JSON list)

    # --- accounts
    username_min_length: int = 3
    username_max_length: int = 30
    display_name_max_length: int = 40
    bio_max_length: int = 300
    password_min_length: int = 8
    password_max_length: int = 256
    interests_max: int = 20
    languages_max: int = 10
    token_name_max_length: int = 60
    api_tokens_max: int = 50
    session_days: int = 30
    json_body_max_bytes: int = 1_048_576
    form_body_max_bytes: int = 65_536

    # --- notes (RedNote's limits)
    note_title_max_length: int = 40
    note_body_max_length: int = 1000
    note_images_max: int = 18
    note_tags_max: int = 10
    tag_max_length: int = 30
    note_mentions_max: int = 20
    place_name_max_length: int = 60
    drafts_max: int = 100
    comment_max_length: int = 500
    board_name_max_length: int = 30
    board_description_max_length: int = 200
    boards_max: int = 200

    # --- read-path caches (added by the read-path performance work; docs/architecture.md)
    # Per process; 0 entries or 0 seconds turns a cache off. The seconds bound how stale a
    # reader's view may be, since a process never hears of another's changes.
    # The Explore feed as anonymous readers see it, per page, tag and language. Signed-in
    # members share it with their own likes, collects, blocks and mutes applied on top.
    explore_cache_seconds: float = 2.0
    explore_cache_entries: int = 256
    # Anonymous readers' note page HTML, per note and language, served while the note's row is
    # unchanged (any edit, like, collect or comment changes it). What does not touch that row
    # (a comment's likes, a renamed commenter) shows after at most this many seconds.
    note_page_cache_seconds: float = 10.0
    note_page_cache_entries: int = 1000

    # --- translation (docs/architecture.md, "Translation"; README, "Translation engines")
    # Engines tried in this order until one answers; those not configured are skipped. Known:
    # ct2 (OPUS-MT models in translation_models_dir), openai, libretranslate, gloss (always
    # available: CC-CEDICT word-by-word glosses, shown as such).
    translation_engines: list[str] = ["ct2", "openai", "libretranslate", "gloss"]
    translation_models_dir: Path | None = None  # empty: var/models; one subdirectory a direction
    translation_threads: int = 0  # CTranslate2 threads; 0: the process's share of the cores
    translation_batch_size: int = 16  # sentences in one CTranslate2 batch
    translation_beam_size: int = 2
    translation_libretranslate_url: str = ""  # e.g. http://127.0.0.1:5000
    translation_libretranslate_api_key: str = ""
    translation_openai_url: str = ""  # an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1
    translation_openai_api_key: str = ""
    translation_openai_model: str = ""
    translation_openai_timeout_seconds: float = 30.0  # models on a CPU are slow; 0: the HTTP one
    # Change it after upgrading the LibreTranslate server's models: cached answers are redone.
    translation_libretranslate_model_label: str = ""
    translation_http_timeout_seconds: float = 10.0
    translation_http_retries: int = 2
    translation_breaker_failures: int = 5  # consecutive failures that open an engine's circuit
    translation_breaker_reset_seconds: float = 30.0  # then one trial call is let through
    translation_text_max_length: int = 5000  # characters in one POST /api/v1/translate
    # A reader waits this long for a translation another request (or process) is making.
    translation_wait_seconds: float = 30.0
    translation_memory_entries: int = 2000  # per-process copy of recent cache hits; 0: off
    translation_keep_days: int = 90  # cached translations unused this long are pruned
    # A note is translated ahead of time into these languages (by a job) when its likes reach
    # each of these counts: popular notes are ready before most of their readers arrive.
    translation_pretranslate_languages: list[str] = ["en", "zh-Hans"]
    translation_pretranslate_at_likes: list[int] = [10, 100, 1000]
    rate_translate_per_account: EnvRate = Rate.parse("120/minute")
    rate_translate_per_ip: EnvRate = Rate.parse("60/minute")

    # --- moderation
    moderation_policy_file: Path | None = None  # a policy YAML; empty: the shipped default
    # The largest policy YAML an admin may save or import (a 1,000-rule policy is about 420 KB).
    # Keep it under json_body_max_bytes, the multipart body limit, so an oversized file gets the
    # console's own message rather than a bare 413.
    moderation_policy_max_bytes: int = 512 * 1024
    # How often a process re-checks the newest saved policy: other processes follow an admin's
    # edit within this many seconds (one small query each time; a rebuild only on a change).
    moderation_policy_refresh_seconds: float = 30.0
    report_text_max_length: int = 500  # characters a reporter may add
    rate_report_per_account: EnvRate = Rate.parse("20/hour")
    rate_appeal_per_account: EnvRate = Rate.parse("10/day")
    appeal_text_max_length: int = 1000
    decision_note_max_length: int = 1000  # a moderator's note on a decision (moderators only)
    moderation_claim_minutes: int = 15  # how long a claimed case stays a moderator's own
    moderation_bulk_max: int = 100  # cases one bulk action may decide
    moderation_queue_page: int = 50
    # Newcomer hold (the surge switch): the first `newcomer_hold_posts` notes of accounts
    # younger than `newcomer_hold_hours` wait for a moderator. 0 posts: off.
    newcomer_hold_posts: int = 0
    newcomer_hold_hours: float = 48.0
    # Model checks after publication (jobs): text classifiers, and NudeNet on photos.
    moderation_models: Literal["on", "off"] = "on"
    moderation_image_model: Literal["on", "off"] = "on"

    # --- search (docs/adr/0004-embedded-search-backend.md)
    search_backend: Literal["auto", "tantivy", "postgres"] = "auto"  # auto: by database
    search_index_dir: Path | None = None  # the Tantivy index; empty: var/search/notes
    search_index_batch: int = 500  # notes per index commit (one job takes the queued others)
    search_index_batch_wait_seconds: float = 0.0  # wait for more jobs before a batch
    search_counters_refresh_seconds: float = 300.0  # likes/collects/comments into the index
    search_candidates: int = 200  # relevance: the BM25 top-k that the service reranks

    # --- media
    media_dir: Path | None = None  # empty: var/media
    image_upload_max_bytes: int = 30_000_000
    video_upload_max_bytes: int = 300_000_000
    image_max_pixels: int = 60_000_000  # larger images are refused as decompression bombs
    image_widths: list[int] = [360, 720, 1080]  # renditions for the grid and the note page
    video_max_seconds: float = 300.0
    video_max_pixels: int = 3840 * 2160
    video_output_height: int = 1080  # transcodes are scaled down to this height at most
    media_unattached_hours: int = 48  # uploads no note took are deleted after this
    # --- media processing (added by the media feature)
    # Photos and videos processed at once by one process (a thread each, off the event loop);
    # 0: the cores divided among the server processes, as for password hashes.
    media_threads: int = 0

    # --- notifications
    notifications_page_size: int = 20  # groups on one page of the list
    notifications_keep_days: int = 90  # older notifications are pruned by a daily job
    notifications_read_max_items: int = 100  # ids or group keys in one "mark read" request
    notifications_stream_heartbeat_seconds: float = 15.0  # a comment line keeps proxies open
    notifications_stream_retry_ms: int = 5000  # the browser's reconnection delay (SSE `retry:`)
    # A stream is closed after this and the browser reconnects: its session is checked again
    # and long-lived connections spread over the processes again.
    notifications_stream_max_seconds: float = 1800.0
    notifications_stream_replay_max: int = 50  # groups re-sent to a client that resumes
    notifications_streams_per_account: int = 8  # open streams per member and process

    # --- password hashing (argon2id at OWASP's minimum: 19 MiB, t=2, p=1)
    argon2_memory_kib: int = 19_456
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    hash_threads: int = 0  # 0: the CPU cores divided among the server processes
    hash_queue_max: int = 64  # hashes waiting beyond this are refused with a surge 503
    hash_wait_max_seconds: float = 0.5  # ...and so is one that would wait longer than this

    # --- rate limits and surge defences ("N/second|minute|hour|day")
    rate_limits: Literal["on", "off"] = "on"
    rate_signup_per_ip: EnvRate = Rate.parse("10/hour")
    rate_login_per_ip: EnvRate = Rate.parse("30/minute")
    rate_write_per_account: EnvRate = Rate.parse("120/minute")
    rate_write_per_ip: EnvRate = Rate.parse("300/minute")
    rate_upload_per_account: EnvRate = Rate.parse("200/hour")
    rate_note_per_account: EnvRate = Rate.parse("30/hour")
    rate_comment_per_account: EnvRate = Rate.parse("20/minute")
    login_backoff_after: int = 5  # failed logins before the per-account back-off starts
    login_backoff_base_seconds: float = 2.0
    login_backoff_max_seconds: float = 900.0
    surge_signup_rate: EnvRate = Rate.parse("40/second")  # above this, sign-ups wait in line
    surge_retry_after_seconds: int = 15

    @field_validator(
        "rate_signup_per_ip",
        "rate_login_per_ip",
        "rate_write_per_account",
        "rate_write_per_ip",
        "surge_signup_rate",
        "rate_upload_per_account",
        "rate_note_per_account",
        "rate_comment_per_account",
        "rate_translate_per_account",
        "rate_translate_per_ip",
        "rate_report_per_account",
        "rate_appeal_per_account",
        mode="before",
    )
    @classmethod
    def _parse_rate(cls, value: object) -> object:
        return Rate.parse(value) if isinstance(value, str) else value

    @property
    def rate_limits_enabled(self) -> bool:
        return self.rate_limits == "on"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.var_dir / 'redleaf.db').resolve()}"

    @property
    def is_sqlite(self) -> bool:
        return self.resolved_database_url.startswith("sqlite")

    @property
    def resolved_media_dir(self) -> Path:
        return self.media_dir or self.var_dir / "media"

    @property
    def resolved_cache_dir(self) -> Path:
        return self.cache_dir or self.var_dir / "cache"

    @property
    def resolved_models_dir(self) -> Path:
        return self.translation_models_dir or self.var_dir / "models"

    @cached_property
    def resolved_secret_key(self) -> str:
        """The operator's key, or one generated on first run and kept in var/ (never in git)."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key

    @property
    def media_thread_count(self) -> int:
        return self.media_threads or max(1, (os.cpu_count() or 1) // max(1, self.workers))

    @property
    def hash_thread_count(self) -> int:
        # The machine's cores shared by the server processes: more hash threads than cores only
        # adds switching (measured with bench/signup.py: 1.5 ms of CPU a sign-up).
        return self.hash_threads or max(1, (os.cpu_count() or 1) // max(1, self.workers))

    @property
    def translation_thread_count(self) -> int:
        return self.translation_threads or max(1, (os.cpu_count() or 1) // max(1, self.workers))


def load_settings(**overrides: object) -> Settings:
    return Settings(**overrides)  # type: ignore[arg-type]
