"""pygeoapi's request with the response format chosen as HTTP says.

pygeoapi reads the Accept header with a pattern that drops a media range
written ``text/html; q=0.9`` (a space before ``q``) and ignores
``application/geo+json``, the media type OGC API - Features clients ask for;
``Accept: text/html;q=0.5, application/geo+json`` then answers HTML. Here the
header is parsed by Werkzeug (already installed with pygeoapi) and weighed
against the formats the node serves.
"""

from __future__ import annotations

from typing import Any

from pygeoapi.api import APIRequest
from pygeoapi.formats import F_JSON, FORMAT_TYPES
from pygeoapi.util import get_from_headers
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header

# Media types that name a format pygeoapi knows under another media type.
ALIASES = {"application/geo+json": F_JSON}


class NodeRequest(APIRequest):
    """An APIRequest whose format follows the Accept header's quality values."""

    #: The formats the handler can answer in, when it has said so.
    served: frozenset[str] | None = None

    def serve_only(self, formats: frozenset[str]) -> None:
        """Choose among *formats* only (and a dataset's own formatters).

        An Accept header that names none of them gets the handler's default
        format, never a body labelled with a media type it is not.
        """
        self.served = formats
        self._format = self._get_format(self.headers)

    def is_valid(self, additional_formats: Any = None) -> bool:
        if not super().is_valid(additional_formats):
            return False
        if self.served is None or self._format is None:
            return True
        allowed = self.served | {str(f).lower() for f in additional_formats or ()}
        return self._format.lower() in allowed

    def _get_format(self, headers: Any, extra_formats: dict = {}) -> str | None:  # noqa: B006 - pygeoapi's signature
        explicit = (self._args.get("f") or "").strip()
        if explicit:
            return explicit
        formats = FORMAT_TYPES
        if self.served is not None:
            formats = {k: v for k, v in formats.items() if k in self.served}
        return format_from_accept(
            get_from_headers(headers, "accept"), formats | extra_formats
        )


def format_from_accept(header: str, formats: dict[str, str]) -> str | None:
    """Return the format in *formats* (name: media type) *header* prefers.

    None when the header is empty, names none of them, or prefers a wildcard
    (``*/*``, ``application/*``): the handler's default format then applies.
    """
    if not header:
        return None
    by_type = dict(ALIASES)
    for name, media_type in formats.items():
        by_type.setdefault(media_type.split(";")[0].strip().lower(), name)
    accept = parse_accept_header(header, MIMEAccept)
    best = accept.best_match(list(by_type))
    if best is None:
        return None
    named = {value.lower() for value, quality in accept if quality > 0}
    return by_type[best] if best in named else None
