"""create_app(settings): middleware, routers, lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from redleaf.kit.health import router as health_router
from redleaf.kit.middleware import (
    BodySizeLimitMiddleware,
    RequestContextMiddleware,
    SecurityHeadersMiddleware,
)
from redleaf.kit.responses import ORJSONResponse
from redleaf.kit.runtime import Runtime
from redleaf.settings import Settings, load_settings
from redleaf.translation.setup import warm_up as warm_up_translation
from redleaf.web.errors import install_error_handlers
from redleaf.web.templating import STATIC_DIR

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = Runtime.build(settings)
        app.state.runtime = runtime
        runtime.warming.add("translation")
        warming = asyncio.create_task(warm_up_translation(settings))
        warming.add_done_callback(lambda _task: runtime.warming.discard("translation"))
        worker = None
        if settings.inprocess_worker:
            from redleaf.kit.jobs.worker import start_inprocess_worker

            worker = await start_inprocess_worker(
                runtime, concurrency=settings.inprocess_worker_concurrency
            )
        try:
            yield
        finally:
            await warming
            if worker is not None:
                await worker.stop()
            await runtime.close()

    app = FastAPI(
        title="Redleaf",
        version="1",
        lifespan=lifespan,
        default_response_class=ORJSONResponse,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    install_error_handlers(app)

    def body_limit(path: str, content_type: str) -> int:
        if content_type.startswith("application/x-www-form-urlencoded"):
            return settings.form_body_max_bytes
        if path == "/api/v1/media" and content_type.startswith("multipart/form-data"):
            # The upload route streams to disk and enforces the photo or video limit itself
            # once the first bytes say which; this is the backstop, plus multipart framing.
            largest = max(settings.image_upload_max_bytes, settings.video_upload_max_bytes)
            return largest + 65_536
        return settings.json_body_max_bytes

    # Added innermost first: the request context (ids, locale) wraps everything else.
    app.add_middleware(BodySizeLimitMiddleware, limit_for=body_limit)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(RequestContextMiddleware)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(health_router)
    for router in feature_routers():
        app.include_router(router)
    return app


def feature_routers() -> list:  # type: ignore[type-arg]
    from redleaf.accounts import api as accounts_api
    from redleaf.accounts import pages as accounts_pages
    from redleaf.media import api as media_api
    from redleaf.moderation import api as moderation_api
    from redleaf.moderation import console_audit_pages as moderation_console_audit
    from redleaf.moderation import console_pages as moderation_console
    from redleaf.moderation import pages as moderation_pages
    from redleaf.moderation import policy_pages as moderation_policy_pages
    from redleaf.notes import api as notes_api
    from redleaf.notes import pages as notes_pages
    from redleaf.notifications import api as notifications_api
    from redleaf.notifications import pages as notifications_pages
    from redleaf.search import api as search_api
    from redleaf.search import pages as search_pages
    from redleaf.translation import api as translation_api
    from redleaf.translation import pages as translation_pages
    from redleaf.web import pages as web_pages

    # The most-read routes first: every request is matched against the routes before its own
    # (measured with bench/read_paths.py: Explore from 35% to 41% of the ceiling).
    return [
        notes_api.router,
        notes_pages.router,
        accounts_api.router,
        accounts_pages.router,
        media_api.router,
        notifications_api.router,
        translation_api.router,
        translation_pages.router,
        moderation_api.router,
        moderation_pages.router,
        moderation_policy_pages.router,
        moderation_console.router,
        moderation_console_audit.router,
        search_api.router,
        search_pages.router,
        notifications_pages.router,
        web_pages.router,
    ]


def serve_app() -> FastAPI:
    """The factory `redleaf serve` gives uvicorn: each server process configures its own logs."""
    from redleaf.kit.logs import configure_logging

    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
