"""orjson for every JSON response.

Hot read routes return `ORJSONResponse(data)` themselves: FastAPI then skips validating and
re-serialising the answer through its response model (measured on the Explore API: a third of
the route's CPU), and the model still documents the shape in /openapi.json.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class ORJSONResponse(JSONResponse):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_UTC_Z)
