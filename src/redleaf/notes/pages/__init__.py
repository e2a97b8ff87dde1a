"""HTML routes of notes: the note page and its forms, the composer, boards. The Explore grid
("/") and the profile tabs are drawn by the accounts pages with this feature's grid macros.

Every route runs in the request's unit of work and loads rows through `notes.access`; every POST
checks its CSRF token through `csrf_form` and the write limit.
"""

from __future__ import annotations

from fastapi import APIRouter

from redleaf.kit.uow import UnitOfWorkRoute
from redleaf.notes.pages import boards, common, composer, note
from redleaf.web.templating import environment

router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
# The note page first: the busiest page, and FastAPI tries each route in turn (~10 µs a route).
for _module in (note, composer, boards):
    router.include_router(_module.router)

# Helpers the note templates (and the grids on accounts pages) call.
environment().globals.update(
    compact_count=common.compact_count,
    day=common.day,
    iso=common.iso,
    cover_box=common.cover_box,
    text_style=common.text_style,
    tag_url=common.tag_url,
    rich_text=common.rich_text,
    excerpt=common.excerpt,
    media_src=common.media_src,
    srcset=common.srcset,
    carousel_ratio=common.carousel_ratio,
    place_name=common.place_name,
    explicit_tags=common.explicit_tags,
    html_lang=common.html_lang,
)
