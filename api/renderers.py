"""The read API's JSON, written by orjson.

django-ninja's renderer is the standard library's ``json.dumps``, in Python for every dict and
list; on the uncached thread page it was a sixteenth of the request's time (py-spy, bench
database). orjson writes the same values in C. What orjson does not know itself (a ``Decimal``, a
pydantic model, a time not yet turned into text) goes through django-ninja's own encoder, so every
value is written as before; the text differs only in having no spaces after ``,`` and ``:`` and
letters outside ASCII as UTF-8 rather than ``\\u`` escapes, which is the same JSON.
"""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest
from ninja.renderers import JSONRenderer

# Times pass through to ninja's encoder (Django's format: milliseconds, "Z" for UTC), as do
# dataclasses; dict keys that are not text are written as text, as json.dumps writes them.
_OPTIONS = (
    orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_NON_STR_KEYS
)


class ORJSONRenderer(JSONRenderer):
    def __init__(self) -> None:
        self._default = self.encoder_class().default

    def render(self, request: HttpRequest | None, data: Any, *, response_status: int) -> bytes:
        return orjson.dumps(data, default=self._default, option=_OPTIONS)
