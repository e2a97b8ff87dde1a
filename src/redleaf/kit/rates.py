"""`Rate`: a count per period, written in settings as "N/second|minute|hour|day"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic_core import core_schema

_PERIODS = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}


@dataclass(frozen=True, slots=True)
class Rate:
    count: int
    period_seconds: float

    @classmethod
    def parse(cls, text: object) -> Rate:
        if isinstance(text, Rate):
            return text
        if not isinstance(text, str) or "/" not in text:
            raise ValueError(f"a rate looks like '10/minute', not {text!r}")
        count_text, period = (part.strip().lower() for part in text.split("/", 1))
        period = period.removesuffix("s")
        if period not in _PERIODS or not count_text.isdigit() or int(count_text) < 1:
            raise ValueError(f"a rate looks like '10/minute', not {text!r}")
        return cls(int(count_text), _PERIODS[period])

    @property
    def per_second(self) -> float:
        return self.count / self.period_seconds

    def __str__(self) -> str:
        name = next(k for k, v in _PERIODS.items() if v == self.period_seconds)
        return f"{self.count}/{name}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )
