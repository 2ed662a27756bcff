"""Shared pieces of the real-client tests: the real files, publishing, comparing.

The real Banjarbaru and Kalimantan Selatan files are published in place with the
`simpul publish` command into a running node; what a client harvests back is
compared with the same file read independently here (pyogrio and shapely).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import pytest
import requests
import shapely
from shapely.geometry.base import BaseGeometry

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
SIMPUL = Path(sys.executable).parent / "simpul"
#: Coordinates a client gets back must match the source this closely (degrees).
DEGREES = 1e-7
#: The same tolerance for projected coordinates, in metres (1e-7° is about 1 cm).
METRES = 0.01
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG = "http://www.opengis.net/def/crs/EPSG/0/"
#: The CRSs every published collection offers, in the order the metadata lists them.
OUTPUT_CRS = [CRS84] + [
    f"{EPSG}{code}" for code in (4326, 3857, 32750, 23880, 4755, 9470, 9490)
]

needs_data = pytest.mark.skipif(not DATA.exists(), reason="shared data not present")


@dataclass(frozen=True)
class Dataset:
    """A real file and the collection it is published as."""

    name: str
    path: Path
    #: The source attribute identifying a feature; "FID" is the feature id itself.
    key: str


ESRI = Dataset(
    "BATASKELURAHAN_AR_25K", DATA / "banjarbaru/kelurahan_batas_kota.esri.json", "FID"
)
KELURAHAN = Dataset(
    "KELURAHAN_AR_25K", DATA / "banjarbaru/kelurahan_banjarbaru.geojson", "kode"
)
KECAMATAN = Dataset(
    "KECAMATAN_AR_50K", DATA / "kalsel/kecamatan_kalsel.geojson", "kode"
)
KABUPATEN = Dataset(
    "KABUPATENKOTA_AR_250K", DATA / "kalsel/kabupaten_kota_kalsel.geojson", "kode"
)
REAL = (ESRI, KELURAHAN, KECAMATAN, KABUPATEN)
#: The attribute the temporal dataset adds, and the kelurahan left without geometry.
DATE = "tglupdate"
NULL_GEOMETRY_ROWS = (3, 11)
DAY0 = dt.date(2021, 1, 1)


def temporal_dataset(folder: Path) -> Dataset:
    """Write the kelurahan with a date each (45 days apart) and two without geometry."""
    collection = json.loads(KELURAHAN.path.read_text(encoding="utf-8"))
    for row, feature in enumerate(collection["features"]):
        day = DAY0 + dt.timedelta(days=45 * row)
        feature["properties"][DATE] = day.isoformat()
        if row in NULL_GEOMETRY_ROWS:
            feature["geometry"] = None
    path = folder / "kelurahan_pemutakhiran.geojson"
    path.write_text(json.dumps(collection), encoding="utf-8")
    return Dataset("PEMUTAKHIRANKELURAHAN_AR_25K", path, "kode")


# Publishing ------------------------------------------------------------------


def publish(node: Any, env: dict[str, str], datasets: Iterable[Dataset]) -> None:
    """Publish *datasets* into *node* with `simpul publish`, all at once.

    The command runs with the node's OpenAPI path, as an operator's shell would.
    """
    base = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    base["PYGEOAPI_OPENAPI"] = str(node.openapi)
    config = node.config
    runs = [
        (
            dataset,
            subprocess.Popen(
                [SIMPUL, "publish", dataset.path, "--name", dataset.name]
                + ["--config", config],
                env=base | env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for dataset in datasets
    ]
    for dataset, process in runs:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, f"publishing {dataset.path} failed:\n{err}"


def wait_served(url: str, names: Iterable[str], timeout: float = 20) -> None:
    """Wait until the node at *url* serves every collection in *names*."""
    deadline = time.monotonic() + timeout
    for name in names:
        while requests.get(f"{url}/collections/{name}", timeout=5).status_code != 200:
            assert time.monotonic() < deadline, f"{name} was not served in time"
            time.sleep(0.1)


# The source, read independently ----------------------------------------------


@dataclass(frozen=True)
class SourceFeature:
    """One feature of a source file, with the geometry publishing stores for it."""

    key: Any
    properties: dict[str, Any]
    geometry: BaseGeometry | None


def read_source(dataset: Dataset) -> dict[Any, SourceFeature]:
    """Read *dataset*'s file with pyogrio; key each feature by the dataset's key."""
    meta, _, wkb, columns = pyogrio.raw.read(dataset.path, datetime_as_string=True)
    names = list(meta["fields"])
    geometries = shapely.from_wkb(wkb)
    features = {}
    for row, geometry in enumerate(geometries):
        properties = {name: python(columns[i][row]) for i, name in enumerate(names)}
        key = properties[dataset.key]
        if dataset.key == "FID":
            del properties["FID"]  # published as the feature id
        features[key] = SourceFeature(key, properties, as_published(geometry))
    return features


def python(value: Any) -> Any:
    """Return a numpy scalar as the plain Python value JSON would carry."""
    return value.item() if isinstance(value, np.generic) else value


def as_published(geometry: BaseGeometry | None) -> BaseGeometry | None:
    """Return *geometry* repaired the way publishing repairs an invalid one."""
    if geometry is None or geometry.is_valid:
        return geometry
    return shapely.make_valid(geometry, method="structure", keep_collapsed=False)


# Comparing ---------------------------------------------------------------------


def as_multi(geometry: BaseGeometry) -> BaseGeometry:
    """Return a single polygon, line or point as its one-part multi form."""
    multi = {
        "Polygon": shapely.MultiPolygon,
        "LineString": shapely.MultiLineString,
        "Point": shapely.MultiPoint,
    }.get(geometry.geom_type)
    return multi([geometry]) if multi else geometry


def same_shape(
    got: BaseGeometry | None, want: BaseGeometry | None, tolerance: float = DEGREES
) -> bool:
    """Tell whether two geometries have the same vertices within *tolerance*.

    Publishing promotes a Polygon to a MultiPolygon in a mixed layer, so the
    shapes are compared, not the type names.
    """
    if got is None or want is None:
        return got is None and want is None
    a, b = (shapely.normalize(as_multi(g)) for g in (got, want))
    return bool(shapely.equals_exact(a, b, tolerance=tolerance))


@dataclass(frozen=True)
class Harvested:
    """One feature as a client read it back."""

    id: Any
    properties: dict[str, Any]
    geometry: BaseGeometry | None


def from_geojson(feature: dict[str, Any]) -> Harvested:
    """Return a GeoJSON feature dict as a Harvested feature."""
    geometry = feature.get("geometry")
    return Harvested(
        feature.get("id"),
        dict(feature.get("properties") or {}),
        shapely.geometry.shape(geometry) if geometry else None,
    )


def key_of(dataset: Dataset, feature: Harvested) -> Any:
    """Return the source key of a harvested feature."""
    if dataset.key == "FID":
        return int(feature.id)
    return feature.properties[dataset.key]


def assert_matches_source(
    dataset: Dataset,
    harvested: Iterable[Harvested],
    source: dict[Any, SourceFeature] | None = None,
) -> None:
    """Assert the harvest holds every source feature once, attributes and shapes."""
    source = source if source is not None else read_source(dataset)
    features = list(harvested)
    keys = [key_of(dataset, f) for f in features]

    assert len(features) == len(source)
    assert sorted(keys) == sorted(source)
    for key, feature in zip(keys, features, strict=True):
        want = source[key]
        assert feature.properties == want.properties, f"attributes of {key}"
        assert same_shape(feature.geometry, want.geometry), f"geometry of {key}"


# Walking pages -------------------------------------------------------------------


def pages(url: str, **params: Any) -> Iterator[dict[str, Any]]:
    """Yield every page of an items request, following `next` links to the end."""
    response = requests.get(url, params=params, timeout=30)
    while True:
        assert response.status_code == 200, response.text
        page = response.json()
        yield page
        link = next((k for k in page["links"] if k["rel"] == "next"), None)
        if link is None:
            return
        response = requests.get(link["href"], timeout=30)


def published_node(
    start_module_node: Any, backend: Any, datasets: Iterable[Dataset]
) -> Any:
    """Start a node over *backend*'s store and publish *datasets* into it."""
    datasets = list(datasets)
    node = start_module_node(env=backend.node_env)
    publish(node, backend.publish_env, datasets)
    wait_served(node.url, [d.name for d in datasets])
    return node
