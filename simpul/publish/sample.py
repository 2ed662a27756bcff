"""The project's own sample data: two small point layers of Kota Banjarbaru.

Coordinates are approximate (a few hundred metres); codes and names follow the
Kemendagri 2025 table. Run `python -m simpul.publish.sample data/sample` to
rewrite the committed GeoJSON files.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import yaml

from simpul.catalogue.node import load_node
from simpul.publish.pipeline import Request, publish
from simpul.publish.records.operator import metadata_path

UPDATED = "2025-01-15"
KECAMATAN = "ADMINISTRASIKECAMATAN_PT_25K"
PLACES = "TEMPATUMUM_PT_25K"

#: (Kemendagri code, name, lon, lat): approximate centres of the 5 kecamatan.
KECAMATAN_ROWS = [
    ("63.72.02", "Landasan Ulin", 114.764, -3.459),
    ("63.72.03", "Cempaka", 114.843, -3.510),
    ("63.72.04", "Banjarbaru Utara", 114.847, -3.446),
    ("63.72.05", "Banjarbaru Selatan", 114.832, -3.457),
    ("63.72.06", "Liang Anggang", 114.711, -3.450),
]

#: (name, kind, kecamatan code, lon, lat): well-known public places.
PLACE_ROWS = [
    (
        "Bandara Internasional Syamsudin Noor",
        "Bandar udara",
        "63.72.02",
        114.7625,
        -3.4424,
    ),
    ("Lapangan Murjani", "Lapangan", "63.72.04", 114.8322, -3.4420),
    ("Taman Van der Pijl", "Taman kota", "63.72.04", 114.8335, -3.4412),
    ("Pasar Bauntung", "Pasar", "63.72.04", 114.8300, -3.4402),
    (
        "Kantor Walikota Banjarbaru",
        "Kantor pemerintahan",
        "63.72.04",
        114.8424,
        -3.4479,
    ),
    (
        "Universitas Lambung Mangkurat Kampus Banjarbaru",
        "Perguruan tinggi",
        "63.72.04",
        114.8450,
        -3.4420,
    ),
    ("Museum Lambung Mangkurat", "Museum", "63.72.04", 114.8290, -3.4400),
    ("RSD Idaman Banjarbaru", "Rumah sakit", "63.72.05", 114.8110, -3.4730),
]


def feature(lon: float, lat: float, properties: dict[str, object]) -> dict:
    """Return a GeoJSON point feature."""
    point = {"type": "Point", "coordinates": [lon, lat]}
    return {"type": "Feature", "properties": properties, "geometry": point}


def kugi(name: str, remark: str, layer: str) -> dict[str, object]:
    """Return the KUGI attributes every sample feature carries."""
    return {
        "NAMOBJ": name,
        "FCODE": None,
        "REMARK": remark,
        "METADATA": f"6372-SAMPEL-{layer}",
        "SRS_ID": "4326",
    }


def layers() -> dict[str, list[dict]]:
    """Return the sample layers as lists of GeoJSON features."""
    kecamatan = [
        feature(lon, lat, {
            **kugi(name, "Titik tengah kecamatan (perkiraan)", KECAMATAN),
            "KDCPUM": code, "WADMKC": name, "WADMKK": "Kota Banjarbaru",
            "TGLUPDATE": UPDATED,
        })
        for code, name, lon, lat in KECAMATAN_ROWS
    ]  # fmt: skip
    names = {code: name for code, name, _, _ in KECAMATAN_ROWS}
    places = [
        feature(lon, lat, {
            **kugi(name, kind, PLACES),
            "JENIS": kind, "KDCPUM": code, "WADMKC": names[code],
            "TGLUPDATE": UPDATED,
        })
        for name, kind, code, lon, lat in PLACE_ROWS
    ]  # fmt: skip
    return {KECAMATAN: kecamatan, PLACES: places}


def write_samples(folder: Path) -> list[Path]:
    """Write each sample layer as <LAYER>.geojson into *folder*; return the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, features in layers().items():
        path = folder / f"{name}.geojson"
        lines = ",\n".join(json.dumps(f, ensure_ascii=False) for f in features)
        path.write_text(
            '{"type": "FeatureCollection", "features": [\n' + lines + "\n]}\n",
            encoding="utf-8",
        )
        written.append(path)
    return written


TITLES = {KECAMATAN: "Kecamatan Kota Banjarbaru", PLACES: "Tempat umum Banjarbaru"}
ABSTRACTS = {
    KECAMATAN: "Titik tengah perkiraan kelima kecamatan Kota Banjarbaru dengan kode "
    "Kemendagri 2025. Data contoh milik perangkat lunak simpul, bukan data resmi.",
    PLACES: "Lokasi perkiraan tempat umum yang dikenal di Kota Banjarbaru: bandar "
    "udara, lapangan, taman, pasar, kantor, kampus, museum dan rumah sakit. Data "
    "contoh milik perangkat lunak simpul, bukan data resmi.",
}
TOPICS = {KECAMATAN: "boundaries", PLACES: "location"}


def sample_metadata(name: str) -> dict[str, object]:
    """Return the complete operator metadata of sample layer *name*."""
    return {
        "mcf": {"version": 2.0},
        "identification": {
            "title": TITLES[name],
            "abstract": ABSTRACTS[name],
            "keywords": {
                "default": {"keywords": ["Banjarbaru", "data contoh", TITLES[name]]}
            },
            "topiccategory": [TOPICS[name]],
            "maintenancefrequency": "notPlanned",
            "accessclass": "public",
            "edition": UPDATED,
            "license": {"name": "CC-BY-4.0"},
        },
        "contact": {
            "pointOfContact": {
                "organization": "Pengelola Simpul Jaringan Kota Banjarbaru",
                "email": "simpul@banjarbarukota.go.id",
            }
        },
        "dataquality": {
            "lineage": {
                "statement": "Dibuat oleh perangkat lunak simpul dari nama dan kode "
                "Kemendagri 2025; koordinat perkiraan (beberapa ratus meter)."
            }
        },
    }


def publish_samples(config: Path, store: str | None = None) -> None:
    """Publish the sample layers, with complete metadata, into the node."""
    node = load_node(config)
    with tempfile.TemporaryDirectory(prefix="simpul-sample-") as tmp:
        for path in write_samples(Path(tmp)):
            name = path.stem
            metadata = metadata_path(node, name)
            if not metadata.exists():  # an operator's edits are kept
                metadata.parent.mkdir(parents=True, exist_ok=True)
                text = yaml.safe_dump(sample_metadata(name), allow_unicode=True)
                metadata.write_text(text, encoding="utf-8")
            publish(Request(path, name, config, title=TITLES[name], store=store))


if __name__ == "__main__":
    for written in write_samples(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(written)
