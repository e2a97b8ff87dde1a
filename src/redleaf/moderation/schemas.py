"""API shapes of moderation. Types are checked here (422); rules by the service (400/404)."""

from __future__ import annotations

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
