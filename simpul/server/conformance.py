"""The conformance classes the node declares, derived from what it serves."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import pygeoapi.api as core_api
from pygeoapi.api import API, APIRequest, all_apis
from pygeoapi.formats import F_HTML
from pygeoapi.util import render_j2_template, to_json

FEATURES_1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf"
FEATURES_2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf"
FEATURES_3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf"
CQL2 = "http://www.opengis.net/spec/cql2/1.0/conf"

#: Any feature collection: Features Part 1, Part 2 and the queryables of Part 3.
FEATURES = (
    f"{FEATURES_1}/core",
    f"{FEATURES_1}/oas30",
    f"{FEATURES_1}/html",
    f"{FEATURES_1}/geojson",
    f"{FEATURES_2}/crs",
    f"{FEATURES_3}/queryables",
    f"{FEATURES_3}/queryables-query-parameters",
)

#: Filtering, as the node's feature provider compiles CQL2 into SQL. Spatial
#: functions depend on S_INTERSECTS over every geometry type ("-plus"), see
#: https://docs.ogc.org/is/21-065r2/21-065r2.html#rc_spatial-functions
FILTERING = (
    f"{FEATURES_3}/filter",
    f"{FEATURES_3}/features-filter",
    f"{CQL2}/cql2-text",
    f"{CQL2}/cql2-json",
    f"{CQL2}/basic-cql2",
    f"{CQL2}/advanced-comparison-operators",
    f"{CQL2}/basic-spatial-functions",
    f"{CQL2}/basic-spatial-functions-plus",
    f"{CQL2}/spatial-functions",
)

#: Feature providers that honour `filter`; others would silently ignore it.
FILTERING_PROVIDERS = frozenset({"simpul_providers.features.FeatureProvider"})


def conformance_classes(config: dict[str, Any]) -> list[str]:
    """Return the sorted conformance classes for the resources in *config*."""
    classes = set(core_api.CONFORMANCE_CLASSES)
    apis = all_apis()
    feature_providers: list[str] = []

    for resource in config["resources"].values():
        if resource.get("type") == "process":
            classes.update(apis["process"].CONFORMANCE_CLASSES)
            continue
        for provider in resource.get("providers") or []:
            kind = provider.get("type")
            if kind == "feature":
                feature_providers.append(provider.get("name", ""))
            elif kind == "record":
                classes.update(apis["itemtypes"].CONFORMANCE_CLASSES_RECORDS)
            elif kind in apis:
                classes.update(apis[kind].CONFORMANCE_CLASSES)

    if feature_providers:
        classes.update(FEATURES)
    if feature_providers and FILTERING_PROVIDERS.issuperset(feature_providers):
        classes.update(FILTERING)
    return sorted(classes)


def conformance(api: API, request: APIRequest) -> tuple[dict, int, str]:
    """Answer /conformance in JSON or HTML, like the other pygeoapi handlers."""
    document = {"conformsTo": conformance_classes(api.config)}
    headers = request.get_response_headers(**api.api_headers)

    if request.format == F_HTML:
        content = render_j2_template(
            api.tpl_config,
            api.config["server"]["templates"],
            "conformance.html",
            document,
            request.locale,
        )
        return headers, HTTPStatus.OK, content
    return headers, HTTPStatus.OK, to_json(document, api.pretty_print)
