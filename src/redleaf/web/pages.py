"""Pages that belong to no feature: home, language switch, guidelines."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
