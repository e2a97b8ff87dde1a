"""Pydantic shapes of the notifications API."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class ActorOut(BaseModel):
    id: str
    username: str
    display_name: str
    avatar_url: str


class LinePart(BaseModel):
    text: str
    username: str | None = None  # set when the part is a member's name


class NoteRef(BaseModel):
    id: str
    url: str
    title: str
    cover: dict[str, Any]


class CommentRef(BaseModel):
    id: str
    excerpt: str


class NotificationGroupOut(BaseModel):
    """One line of the list: every notification that shares a group key ("12 likes on this
    note"), shown by its newest member."""

    id: str = Field(description="The newest notification of the group (also the stream's id).")
    group: str = Field(description="The group key; POST /notifications/read takes it.")
    kind: str
    unread: bool = Field(description="True while any notification of the group is unread.")
    count: int = Field(description="How many members the group holds.")
    actors: list[ActorOut] = Field(description="Up to two of them, newest first.")
    text: str = Field(description="The line in the reader's language.")
    parts: list[LinePart] = Field(description="The same line, with members' names marked.")
    note: NoteRef | None
    comment: CommentRef | None
    url: str
    follow_back: bool = Field(description="A single new follower the reader does not follow.")
    created_at: datetime
    when: str = Field(description="How long ago, in the reader's language.")


class UnreadCount(BaseModel):
    count: int
    by_kind: dict[str, int]


class MarkRead(BaseModel):
    """Mark notifications read: some by id, whole groups by key, or all of them."""

    ids: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)
    all: bool = False
