"""Corrections to pygeoapi's behaviour, installed once when the server starts.

- JSON: pygeoapi's ``to_json`` turns ``<`` and ``>`` in values into ``&lt;`` and
  ``&gt;`` (so that JSON inlined into its HTML pages cannot close a script tag),
  which changes the data a client receives. Ours escapes them the JSON way
  (``\\u003c``), which is just as safe inside HTML and decodes to the same value;
  it is also several times faster (orjson).
- bbox: pygeoapi builds two CRS objects and a transformer for every request with
  a ``bbox`` (about 50 ms; seconds for a ``bbox-crs`` on the DGN95 or SRGI2013
  datums), even when the bbox is already in the storage CRS; that case is passed
  through untouched, and the others reuse one transformer per pair of CRSs.
- Logging: pygeoapi logs every client error (a 404 collection, a bad filter) at
  ERROR; those are demoted to INFO so ERROR means a failure of the server.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

import orjson
import pygeoapi.api.itemtypes as itemtypes
from pygeoapi.crs import get_crs
from pygeoapi.crs import transform_bbox as pygeoapi_transform_bbox
from pygeoapi.provider.base import ProviderGenericError
from pygeoapi.util import json_serial
from simpul_providers.crs import fast_transformer

#: Modules that imported pygeoapi.util.to_json by name.
TO_JSON_USERS = (
    "pygeoapi.util",
    "pygeoapi.api",
    "pygeoapi.api.itemtypes",
    "pygeoapi.api.tiles",
)

WEB_MERCATOR = 3857

_HTML_SAFE = ((b"<", b"\\u003c"), (b">", b"\\u003e"), (b"&", b"\\u0026"))


def to_json(dict_: Any, pretty: bool = False) -> str:
    """Serialise to JSON that is also safe to inline in an HTML script."""
    option = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY
    if pretty:
        option |= orjson.OPT_INDENT_2
    data = orjson.dumps(dict_, default=json_serial, option=option)
    # In JSON text these bytes occur only inside strings, where escapes are valid.
    for raw, escaped in _HTML_SAFE:
        if raw in data:
            data = data.replace(raw, escaped)
    return data.decode("utf-8")


def transform_bbox(
    bbox: list, from_crs: Any, to_crs: Any, always_xy: bool = False
) -> list:
    """Return *bbox* in *to_crs*; as it is when both name the same CRS."""
    if isinstance(from_crs, str) and from_crs == to_crs:
        return list(bbox)
    source, target = get_crs(from_crs), get_crs(to_crs)
    if target.to_epsg() == WEB_MERCATOR:  # pygeoapi clips latitudes for it
        return pygeoapi_transform_bbox(bbox, source, target, always_xy)
    transform = fast_transformer(source, target, always_xy).transform
    dims = len(bbox) // 2
    return list(transform(*bbox[:dims]) + transform(*bbox[dims:]))


class ClientErrorsAtInfo(logging.Filter):
    """Demote pygeoapi's records of client errors from ERROR to INFO; drop its
    warning about an absent offset, which every first page would log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.WARNING and _absent_offset(record):
            return False  # pygeoapi warns on every request that gives no offset
        if record.levelno == logging.ERROR and _client_error(record):
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info, record.exc_text = None, None  # no traceback for a 400
            return logging.getLogger(record.name).isEnabledFor(logging.INFO)
        return True


def _absent_offset(record: logging.LogRecord) -> bool:
    return record.funcName == "get_collection_items" and str(record.msg).startswith(
        "int() argument must be"
    )


def _client_error(record: logging.LogRecord) -> bool:
    exc = record.exc_info[1] if record.exc_info else None
    if isinstance(exc, ProviderGenericError):
        return exc.http_status_code < 500
    if exc is not None:
        # pygeoapi's parameter checks (limit, bbox, crs, datetime) raise ValueError.
        return record.funcName == "get_exception" and isinstance(exc, ValueError)
    return record.funcName in ("get_exception", "get_collection_items")


def install() -> None:
    """Apply the corrections (idempotent)."""
    for name in TO_JSON_USERS:
        module = importlib.import_module(name)
        if hasattr(module, "to_json"):
            module.to_json = to_json  # type: ignore[attr-defined]
    itemtypes.transform_bbox = transform_bbox  # type: ignore[attr-defined]
    for name in ("pygeoapi.api", "pygeoapi.api.itemtypes", "pygeoapi.api.tiles"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, ClientErrorsAtInfo) for f in logger.filters):
            logger.addFilter(ClientErrorsAtInfo())
