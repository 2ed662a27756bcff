"""Accept CQL2 JSON in the `filter` query parameter, as Features Part 3 allows."""

from __future__ import annotations

import functools
from typing import Any

from pygeoapi.api import API, APIRequest
from starlette.datastructures import QueryParams

from simpul.server.execute import ApiFunction


def with_cql2_json(function: ApiFunction) -> ApiFunction:
    """Let *function* read a `filter-lang=cql2-json` filter from the query string."""

    # pygeoapi parses the `filter` parameter as CQL2 text whatever `filter-lang`
    # says, and takes CQL2 JSON only from a request body; hand it over as one.
    # https://docs.ogc.org/is/19-079r2/19-079r2.html#filter-lang-param
    @functools.wraps(function)
    def wrapped(
        api: API, request: APIRequest, *args: Any
    ) -> tuple[dict, int, str | bytes]:
        params = request.params
        if params.get("filter-lang") == "cql2-json" and params.get("filter"):
            request._data = params["filter"].encode("utf-8")
            request._args = QueryParams(
                [(k, v) for k, v in params.multi_items() if k != "filter"]
            )
        return function(api, request, *args)

    return wrapped
