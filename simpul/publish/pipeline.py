"""Publish one file: read, check, reproject, store, then add it to the config."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np
import shapely
from pyproj import CRS

from simpul.publish import config, crs, fields, geometry, kugi, resource
from simpul.publish.csvcoords import says_degrees
from simpul.publish.reading import Table, read_table
from simpul.publish.records import ensure_catalogue_collection, publish_record
from simpul.publish.report import PublishError, Report, first_rows, plural
from simpul.publish.sources import locate
from simpul.store import open_writer
from simpul.store.base import Layer, LayerData

logger = logging.getLogger(__name__)

#: Dataset names become table names and URL path parts.
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class Request:
    """What the operator asked to publish."""

    path: Path
    name: str
    config: Path
    layer: str | None = None
    crs: str | None = None
    title: str | None = None
    store: str | None = None


def publish(request: Request, stream: TextIO | None = None) -> Layer:
    """Publish *request*; on PublishError nothing has changed."""
    check_name(request.name)
    doc = config.load(request.config)
    reference = config.store_reference(doc, request.store)
    report = Report(request.path.name, stream)

    source = locate(request.path, request.layer)
    table = read_table(source, report)
    source_crs = crs.source_crs(
        source.label, table.crs, request.crs, report, says_degrees(source.open_options)
    )
    geoms, geometry_type = prepare_geometries(source.label, table, source_crs, report)
    cols = fields.columns(source.label, table, report)
    kugi.check(request.name, geometry_type, cols.values, report)

    wkb = shapely.to_wkb(geoms, output_dimension=2, flavor="iso").tolist()
    data = LayerData(geometry_type, wkb, cols.values, cols.types, cols.ids)
    report.note(f"writing {plural(len(data), 'feature')} to the store")
    layer = store_layer(request, reference, data)

    served = config.served_reference(doc, request.store, request.config.parent)
    if request.store and served != request.store and "${" not in served:
        report.warn(
            f"the config records the store as {served}, without its password: "
            "the server takes it from PGPASSFILE or PGPASSWORD."
        )
    item = resource.Published(
        name=request.name,
        title=request.title,
        source=source.label,
        source_crs=crs.short(source_crs),
        geometry_type=geometry_type,
        count=len(data),
        extent=geometry.extent(geoms),
        store=served,
        title_field=fields.title_field(list(cols.values)),
        time_field=fields.time_field(cols.types),
    )
    with config.editing(request.config) as doc:
        resources = config.resources(doc)
        entry = resource.entry(item, resources.get(request.name))
        resources[request.name] = entry
    record_in_catalogue(request, layer, entry, report)
    summarise(report, item)
    return layer


def record_in_catalogue(
    request: Request, layer: Layer, entry: Any, report: Report
) -> None:
    """Create or refresh the dataset's catalogue record, passing on its warnings."""
    ensure_catalogue_collection(request.config)
    plain = json.loads(json.dumps(entry))
    for warning in publish_record(request.config, request.name, layer, plain):
        report.warn(warning)


def check_name(name: str) -> None:
    """Refuse a dataset name that cannot be a table name and a URL path part."""
    if not NAME.match(name):
        raise PublishError(
            f"the dataset name {name!r} is not allowed: use letters, digits, '_' or "
            "'-', starting with a letter, at most 63 characters."
        )


def prepare_geometries(
    label: str, table: Table, source_crs: CRS, report: Report
) -> tuple[np.ndarray, str]:
    """Return checked, repaired CRS84 geometries of one type, and that type."""
    geoms = geometry.parse(label, table.wkb, report)
    native = shapely.total_bounds(geoms)
    for part in chunks(len(geoms)):
        geoms[part] = crs.to_crs84(geoms[part], source_crs)
        report.progress("reprojecting", part.stop, len(geoms))
    crs.check(label, source_crs, native, shapely.total_bounds(geoms))

    repaired: list[int] = []
    for part in chunks(len(geoms)):
        repaired.extend(geometry.repair(label, geoms[part], part.start).tolist())
        report.progress("checking geometries", part.stop, len(geoms))
    if repaired:
        invalid = plural(len(repaired), "invalid geometry", "invalid geometries")
        report.warn(f"repaired {invalid} with make_valid (rows {first_rows(repaired)})")
    return geometry.unify(label, geoms, report)


def chunks(total: int, parts: int = 10) -> Iterator[slice]:
    """Yield slices splitting range(total) into about *parts* pieces."""
    step = max(1, -(-total // parts))
    for start in range(0, total, step):
        yield slice(start, min(start + step, total))


def store_layer(request: Request, reference: str, data: LayerData) -> Layer:
    """Write *data* as the new version of the layer; the old one serves until then."""
    try:
        writer = open_writer(config.expand(reference), request.config.parent)
        return writer.replace_layer(request.name, data)
    except Exception as exc:  # the store's own failures and SQLite's alike
        logger.debug("storing %s failed", request.name, exc_info=True)
        raise PublishError(
            f"{request.path.name} could not be stored in "
            f"{config.without_password(reference)}: {exc}."
        ) from None


def summarise(report: Report, item: resource.Published) -> None:
    """Print the closing summary: features, warnings, extent and time taken."""
    bbox = ", ".join(f"{v:.5f}" for v in item.extent) if item.extent else "none"
    report.note(
        f"published {item.name}: "
        f"{plural(item.count, f'{item.geometry_type} feature')}, "
        f"{plural(len(report.warnings), 'warning')}, extent [{bbox}], "
        f"{report.elapsed():.1f} s"
    )
