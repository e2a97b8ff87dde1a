"""API shapes of notes, comments and boards. Types are checked here (422); rules (lengths, counts,
who may do what) are checked by the service (400/403/404) with translated messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StrictStr

from redleaf.accounts.schemas import PersonOut

_IN = ConfigDict(extra="forbid")

Visibility = Literal["public", "followers", "private"]


class PlaceIn(BaseModel):
    model_config = _IN
    name: StrictStr = Field(default="", max_length=1000)
    name_zh: StrictStr | None = Field(default=None, max_length=1000)
    lat: float | None = None
    lon: float | None = None


class NoteCreate(BaseModel):
    model_config = _IN
    title: StrictStr = Field(default="", max_length=10_000)
    body: StrictStr = Field(default="", max_length=100_000)
    media_ids: list[StrictStr] = Field(default_factory=list, max_length=100)
    tags: list[StrictStr] = Field(default_factory=list, max_length=100)
    place: PlaceIn | None = None
    visibility: Visibility = "public"
    draft: StrictBool = False
    text_style: StrictInt = 0


class NoteUpdate(BaseModel):
    model_config = _IN
    title: StrictStr | None = Field(default=None, max_length=10_000)
    body: StrictStr | None = Field(default=None, max_length=100_000)
    media_ids: list[StrictStr] | None = Field(default=None, max_length=100)
    tags: list[StrictStr] | None = Field(default=None, max_length=100)
    place: PlaceIn | None = None
    visibility: Visibility | None = None
    draft: StrictBool | None = None
    text_style: StrictInt | None = None


class CommentCreate(BaseModel):
    model_config = _IN
    body: StrictStr = Field(max_length=100_000)
    reply_to: StrictStr | None = Field(default=None, max_length=30)


class CollectIn(BaseModel):
    model_config = _IN
    board_id: StrictStr | None = Field(default=None, max_length=30)


class BoardCreate(BaseModel):
    model_config = _IN
    name: StrictStr = Field(max_length=1000)
    description: StrictStr = Field(default="", max_length=10_000)
    private: StrictBool = False


class BoardUpdate(BaseModel):
    model_config = _IN
    name: StrictStr | None = Field(default=None, max_length=1000)
    description: StrictStr | None = Field(default=None, max_length=10_000)
    private: StrictBool | None = None


class BoardNoteIn(BaseModel):
    model_config = _IN
    note_id: StrictStr = Field(max_length=30)


# --- answers ---------------------------------------------------------------------------------


class ErrorInfo(BaseModel):
    code: str
    message: str


class PlaceOut(BaseModel):
    id: str
    name: str
    name_en: str
    name_zh: str
    lat: float | None
    lon: float | None


class MentionOut(BaseModel):
    username: str
    display_name: str


class NoteCounts(BaseModel):
    likes: int
    collects: int
    comments: int
    views: int


class NoteViewerState(BaseModel):
    liked: bool
    collected: bool
    board_id: str | None
    is_author: bool


class NoteOut(BaseModel):
    id: str
    url: str
    author: PersonOut
    title: str
    body: str
    lang: str
    kind: str
    tags: list[str]
    media: list[dict[str, Any]]
    place: PlaceOut | None
    mentions: list[MentionOut]
    visibility: str
    state: str
    moderation_state: str
    error: ErrorInfo | None
    counts: NoteCounts
    viewer: NoteViewerState | None
    cover: dict[str, Any]
    text_style: int
    created_at: datetime
    published_at: datetime | None
    edited_at: datetime | None


class CommentCounts(BaseModel):
    likes: int
    replies: int


class CommentViewerState(BaseModel):
    liked: bool
    can_delete: bool


class CommentOut(BaseModel):
    id: str
    note_id: str
    parent_id: str | None
    author: PersonOut
    body: str
    lang: str
    created_at: datetime
    counts: CommentCounts
    viewer: CommentViewerState | None
    reply_to: MentionOut | None
    replies: list[CommentOut] = []


class BoardOut(BaseModel):
    id: str
    url: str
    owner: PersonOut
    name: str
    description: str
    private: bool
    note_count: int
    covers: list[dict[str, Any]]
    created_at: datetime
