"""Check the `filter` parameter and accept CQL2 JSON in it, as Features Part 3 allows.

pygeoapi parses `filter` as CQL2 text whatever `filter-lang` says, takes CQL2 JSON
only from a request body, and answers any parse failure with "Bad CQL text". Here a
bad filter gets the parser's own explanation, and a CQL2 JSON filter in the query
string is handed over as a body while the paging links keep it.
https://docs.ogc.org/is/19-079r2/19-079r2.html#filter-lang-param
"""

from __future__ import annotations

import functools
import json
import urllib.parse
from http import HTTPStatus
from typing import Any

import orjson
from pygeoapi.api import API, APIRequest
from pygeofilter.parsers.cql2_json import parse as parse_cql2_json
from pygeofilter.parsers.cql2_text import parse as parse_cql2_text
from starlette.datastructures import QueryParams

from simpul.server.errors import OGCError
from simpul.server.execute import ApiFunction
from simpul.server.upstream import to_json

LANGUAGES = ("cql2-text", "cql2-json")


def with_cql2_json(function: ApiFunction) -> ApiFunction:
    """Wrap an items function so `filter` is checked and may be CQL2 JSON."""

    @functools.wraps(function)
    def wrapped(
        api: API, request: APIRequest, *args: Any
    ) -> tuple[dict, int, str | bytes]:
        params = request.params
        text = params.get("filter")
        if not text:
            return function(api, request, *args)
        lang = params.get("filter-lang") or "cql2-text"
        check_filter(text, lang)
        if lang != "cql2-json":
            return function(api, request, *args)
        request._data = text.encode("utf-8")
        request._args = QueryParams(
            [(k, v) for k, v in params.multi_items() if k != "filter"]
        )
        headers, status, content = function(api, request, *args)
        return headers, status, _keep_filter_in_links(content, text)

    return wrapped


def check_filter(text: str, lang: str) -> None:
    """Raise a 400 OGCError that says what is wrong with a filter."""
    if lang not in LANGUAGES:
        raise OGCError(
            HTTPStatus.BAD_REQUEST,
            f"filter-lang {lang!r} is not supported; use one of {', '.join(LANGUAGES)}",
        )
    try:
        if lang == "cql2-json":
            parse_cql2_json(json.loads(text))
        else:
            parse_cql2_text(text)
    except Exception as err:  # the parsers raise many kinds, all the client's fault
        reason = str(err).strip().splitlines()[0] if str(err).strip() else repr(err)
        raise OGCError(
            HTTPStatus.BAD_REQUEST, f"Invalid {lang.upper()} filter: {reason}"
        ) from err


def _keep_filter_in_links(content: Any, text: str) -> Any:
    """Add the filter back to the links of a JSON items response."""
    if not isinstance(content, (str, bytes)) or not content.startswith(
        "{" if isinstance(content, str) else b"{"
    ):
        return content
    document = orjson.loads(content)
    extra = "filter=" + urllib.parse.quote(text, safe="")
    for link in document.get("links", []):
        href = link.get("href", "")
        if "/items" in href and "filter=" not in href:
            link["href"] = href + ("&" if "?" in href else "?") + extra
    return to_json(document)
