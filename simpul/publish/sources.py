"""Find the one layer GDAL should read in what the operator handed over."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
from pyogrio.errors import DataSourceError

from simpul.publish.csvcoords import csv_open_options
from simpul.publish.report import PublishError

#: File endings GDAL can read as a dataset, as found inside zip archives.
DATASET_SUFFIXES = (".shp", ".geojson", ".json", ".gpkg", ".kml", ".csv")
#: Formats whose files may hold several layers.
MULTI_LAYER_SUFFIXES = (".gpkg", ".kml", ".kmz", ".sqlite", ".gdb")


@dataclass(frozen=True)
class Source:
    """One readable layer: the GDAL path, the layer and the open options."""

    label: str  # the file name, for messages
    gdal_path: str
    layer: str | None = None
    open_options: dict[str, str] = field(default_factory=dict)


def locate(path: Path, layer: str | None = None) -> Source:
    """Return the layer to read from *path* (plain file or zip archive)."""
    label = path.name
    if not path.exists():
        raise PublishError(f"{path} does not exist.")
    if path.is_dir():
        raise PublishError(f"{label} is a folder; give the data file or a zip.")

    gdal_path = str(path.resolve())
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        names = zip_names(path)
        member = zip_member(label, names, layer)
        gdal_path = f"/vsizip/{gdal_path}/{member}"
        check_shapefile_parts(label, member, names)
    elif path.suffix.lower() == ".shp":
        siblings = [p.name for p in path.parent.iterdir()]
        check_shapefile_parts(label, path.name, siblings)

    chosen = choose_layer(label, gdal_path, layer)
    options: dict[str, str] = {}
    if gdal_path.lower().endswith(".csv"):
        options = csv_open_options(label, gdal_path)
    return Source(label, gdal_path, chosen, options)


def zip_names(path: Path) -> list[str]:
    """Return the member names of a zip archive, refusing a damaged one."""
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PublishError(
            f"{path.name} is not a readable zip archive ({exc}); it may be "
            "incomplete or corrupt."
        ) from None
    if damaged is not None:
        raise PublishError(f"{path.name} is corrupt: its member {damaged} is damaged.")
    return [n for n in names if not n.startswith("__MACOSX/")]


def zip_member(label: str, names: list[str], layer: str | None) -> str:
    """Return the dataset among a zip's *names*, choosing by *layer* if several."""
    members = [n for n in names if n.lower().endswith(DATASET_SUFFIXES)]
    if not members:
        raise PublishError(
            f"{label} holds no shapefile, GeoJSON, GeoPackage, KML or CSV."
        )
    if len(members) == 1:
        return members[0]
    if layer is not None:
        for name in members:
            if Path(name).stem == layer:
                return name
    stems = ", ".join(Path(n).stem for n in members)
    raise PublishError(
        f"{label} holds {len(members)} datasets ({stems}); choose one with --layer."
    )


def check_shapefile_parts(label: str, shp: str, names: list[str]) -> None:
    """Refuse a shapefile whose .shx or .dbf companion is missing."""
    if not shp.lower().endswith(".shp"):
        return
    stem = shp[:-4].lower()
    present = {n.lower() for n in names}
    for part, what in ((".dbf", "attribute table"), (".shx", "index")):
        if stem + part not in present:
            raise PublishError(
                f"{label} cannot be published: the shapefile's {part} {what} file is "
                "missing (a shapefile needs its .shp, .shx and .dbf together)."
            )


def choose_layer(label: str, gdal_path: str, layer: str | None) -> str | None:
    """Return the layer to read: --layer, or the only one; refuse ambiguity."""
    if layer is None and not gdal_path.lower().endswith(MULTI_LAYER_SUFFIXES):
        return None  # listing would make GDAL scan a large single-layer file
    try:
        names = [str(row[0]) for row in pyogrio.list_layers(gdal_path)]
    except DataSourceError as exc:
        raise PublishError(
            f"{label} could not be opened: {gdal_message(exc)}."
        ) from None
    if layer is not None:
        if layer not in names:
            raise PublishError(
                f"{label} has no layer {layer!r}; its layers are {', '.join(names)}."
            )
        return layer
    if len(names) > 1:
        raise PublishError(
            f"{label} has {len(names)} layers ({', '.join(names)}); "
            "choose one with --layer."
        )
    if not names:
        raise PublishError(f"{label} holds no layers.")
    return names[0]


def gdal_message(exc: Exception) -> str:
    """Return GDAL's complaint as one short clause."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text.rstrip(".")[:200]
