"""API shapes of moderation. Types are checked here (422); rules by the service (400/404)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    target_type: StrictStr = Field(max_length=32)
    target_id: StrictStr | StrictInt
    reason: StrictStr = Field(max_length=64)
    text: StrictStr = Field(default="", max_length=100_000)


class ReportOut(BaseModel):
    id: str
    state: str  # the state of the case the report joined: open, decided, appealed, closed


class ReasonOut(BaseModel):
    code: str
    label: str


class ReasonsOut(BaseModel):
    items: list[ReasonOut]


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: StrictStr = Field(max_length=16)
    reason: StrictStr = Field(max_length=64)
    note: StrictStr = Field(default="", max_length=100_000)
    duration_hours: float | None = Field(default=None)


class BulkDecisionIn(DecisionIn):
    case_ids: list[StrictStr | StrictInt] = Field(max_length=10_000)


class DecisionOut(BaseModel):
    id: str
    case_id: str
    action: str
    reason: str
    rule: str
    duration_hours: float | None
    ends_at: datetime | None
    state: str


class BulkOut(BaseModel):
    decided: list[str]
    skipped: dict[str, str]  # case id -> why (an error code)


class ClaimOut(BaseModel):
    case_id: str
    claimed_until: datetime | None


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: StrictStr = Field(max_length=100_000)


class AppealReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: StrictStr = Field(max_length=16)
    response: StrictStr = Field(default="", max_length=100_000)


class AppealOut(BaseModel):
    id: str
    decision_id: str
    state: str


class NoticeDecisionOut(BaseModel):
    id: str
    action: str
    action_label: str
    rule: str
    reason: str
    ends_at: datetime | None
    state: str
    can_appeal: bool


class NoticeAppealOut(BaseModel):
    id: str
    state: str
    response: str


class NoticeTargetOut(BaseModel):
    type: str
    url: str
    excerpt: str


class NoticeOut(BaseModel):
    id: str
    kind: str
    unread: bool
    text: str
    created_at: datetime
    target: NoticeTargetOut | None
    decision: NoticeDecisionOut | None
    appeal: NoticeAppealOut | None


class NoticesOut(BaseModel):
    items: list[NoticeOut]
    unread: int
    next_before: str | None
