"""Landing page links: to every collection's vector tiles, and none to processes."""

from __future__ import annotations

import functools
import json
from http import HTTPStatus
from typing import Any

from pygeoapi.api import API, APIRequest
from pygeoapi.formats import F_JSON

from simpul.server.execute import ApiFunction

# OGC API - Tiles 1.0, clause 8.2: a tilesets list is found by its relation type.
TILESETS_VECTOR = "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"
#: pygeoapi links these whether or not any process exists; the node serves none.
PROCESSES = frozenset(
    {
        "http://www.opengis.net/def/rel/ogc/1.0/processes",
        "http://www.opengis.net/def/rel/ogc/1.0/job-list",
    }
)


def tile_links(api: API) -> list[dict[str, str]]:
    """Return one tilesets-vector link per collection that has tiles."""
    links = []
    for name, resource in api.config["resources"].items():
        providers = resource.get("providers", [])
        if resource.get("type") == "collection" and any(
            p.get("type") == "tile" for p in providers
        ):
            links.append(
                {
                    "rel": TILESETS_VECTOR,
                    "type": "application/json",
                    "title": f"Vector tilesets of {name}",
                    "href": f"{api.base_url}/collections/{name}/tiles",
                }
            )
    return links


def with_tile_links(function: ApiFunction) -> ApiFunction:
    """Add the tilesets-vector links to a JSON landing page; drop processes."""

    @functools.wraps(function)
    def wrapped(
        api: API, request: APIRequest, *args: Any
    ) -> tuple[dict, int, str | bytes]:
        headers, status, content = function(api, request, *args)
        if status != HTTPStatus.OK or request.format not in (None, F_JSON):
            return headers, status, content
        document = json.loads(content)
        links = document.get("links", [])
        links = [link for link in links if link.get("rel") not in PROCESSES]
        document["links"] = links + tile_links(api)
        return headers, status, json.dumps(document, ensure_ascii=False)

    return wrapped
