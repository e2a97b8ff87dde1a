"""API shapes of accounts. Types are checked here (422); rules are checked by the service (400)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr

_IN = ConfigDict(extra="forbid", str_strip_whitespace=False)


class AccountCreate(BaseModel):
    model_config = _IN
    username: StrictStr = Field(max_length=200)
    password: StrictStr = Field(max_length=1000)
    display_name: StrictStr | None = Field(default=None, max_length=1000)
    ui_language: StrictStr | None = Field(default=None, max_length=20)
    region: StrictStr | None = Field(default=None, max_length=2)


class AccountUpdate(BaseModel):
    model_config = _IN
    display_name: StrictStr | None = Field(default=None, max_length=1000)
    bio: StrictStr | None = Field(default=None, max_length=10_000)
    ui_language: StrictStr | None = Field(default=None, max_length=20)
    languages: list[StrictStr] | None = Field(default=None, max_length=50)
    interests: list[StrictStr] | None = Field(default=None, max_length=100)
    auto_translate: StrictBool | None = None
    # ISO 3166-1 alpha-2 ("US"), or "" to stop saying.
    region: StrictStr | None = Field(default=None, max_length=2)


class AccountOut(BaseModel):
    id: str
    username: str
    display_name: str
    ui_language: str


class MeOut(AccountOut):
    bio: str
    languages: list[str]
    auto_translate: bool
    interests: list[str]
    region: str  # the member's own only: ProfileOut never carries it
    role: str
    avatar_url: str
    onboarded: bool
    guidelines_accepted: bool
    created_at: datetime


class Counts(BaseModel):
    followers: int
    following: int


class Relationship(BaseModel):
    following: bool
    followed_by: bool
    blocking: bool
    muting: bool


class ProfileOut(BaseModel):
    id: str
    username: str
    display_name: str
    bio: str
    bio_lang: str
    avatar_url: str
    role: str
    languages: list[str]
    created_at: datetime
    counts: Counts
    relationship: Relationship | None = None


class PersonOut(BaseModel):
    id: str
    username: str
    display_name: str
    avatar_url: str


class TokenCreate(BaseModel):
    model_config = _IN
    username: StrictStr = Field(max_length=200)
    password: StrictStr = Field(max_length=1000)
    name: StrictStr | None = Field(default=None, max_length=1000)


class TokenCreated(BaseModel):
    id: str
    token: str
    name: str


class TokenOut(BaseModel):
    id: str
    name: str
    kind: str
    created_at: datetime
    last_used_at: datetime | None
    current: bool


class PasswordChange(BaseModel):
    model_config = _IN
    current_password: StrictStr = Field(max_length=1000)
    new_password: StrictStr = Field(max_length=1000)


class PasswordConfirm(BaseModel):
    model_config = _IN
    password: StrictStr = Field(max_length=1000)


class RoleChange(BaseModel):
    model_config = _IN
    role: StrictStr = Field(max_length=20)


class OnboardingIn(BaseModel):
    model_config = _IN
    interests: list[StrictStr] = Field(default_factory=list, max_length=100)
    languages: list[StrictStr] = Field(default_factory=list, max_length=50)
    accept_guidelines: StrictBool
