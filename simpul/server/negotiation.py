"""Corrections to the media types pygeoapi answers with."""

from __future__ import annotations

import functools
from http import HTTPStatus
from typing import Any

from pygeoapi.api import API, APIRequest
from pygeoapi.formats import F_HTML, F_JSON, F_JSONLD

from simpul.server.execute import ApiFunction
from simpul.server.request import NodeRequest

GEOJSON = "application/geo+json"
#: What feature and record handlers answer in, besides a dataset's formatters.
FEATURE_FORMATS = frozenset({F_JSON, F_HTML, F_JSONLD})


def as_geojson(function: ApiFunction) -> ApiFunction:
    """Label *function*'s JSON features as GeoJSON, as their links already say."""

    # Features Part 1 requires GeoJSON item responses to carry this media type:
    # https://docs.ogc.org/is/17-069r4/17-069r4.html#_requirements_class_geojson
    @functools.wraps(function)
    def wrapped(
        api: API, request: APIRequest, *args: Any
    ) -> tuple[dict, int, str | bytes]:
        if isinstance(request, NodeRequest):
            request.serve_only(FEATURE_FORMATS)
        headers, status, content = function(api, request, *args)
        is_json = request.format in (None, F_JSON)
        if status == HTTPStatus.OK and is_json:
            headers["Content-Type"] = GEOJSON
        return headers, status, content

    return wrapped
