"""Vanilla pygeoapi 0.24.0 in its own venv, its PostgreSQL provider over PostGIS."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from simpul.store import pgcluster

from . import server
from .paths import WORK

#: What the vanilla venv holds: pygeoapi and what its PostgreSQL provider and
#: Starlette app import but do not declare.
REQUIREMENTS = [
    "pygeoapi==0.24.0",
    "SQLAlchemy>=2",
    "GeoAlchemy2",
    "psycopg2-binary",
    "starlette",
    "uvicorn",
]
VENV = WORK / "vanilla-pygeoapi-0.24.0"
PROVIDER = "pygeoapi 0.24.0 PostgreSQL provider (SQLAlchemy/psycopg2) over PostGIS"


def venv() -> Path:
    """Return the vanilla venv's python, creating the venv when needed."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".requirements"
    wanted = "\n".join(REQUIREMENTS)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    print(f"creating the vanilla pygeoapi venv in {VENV} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS]
    subprocess.run(pip, check=True, capture_output=True)
    stamp.write_text(wanted)
    return python


def versions(python: Path) -> dict[str, str]:
    """Return the versions of the vanilla stack's main packages."""
    code = (
        "import importlib.metadata as m;"
        "[print(p, m.version(p)) for p in "
        "('pygeoapi','SQLAlchemy','GeoAlchemy2','psycopg2-binary','uvicorn')]"
    )
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return dict(line.split(" ", 1) for line in out.stdout.splitlines())


def load_postgis(store: Path, source: str, table: str) -> pgcluster.Cluster:
    """Start a throwaway PostGIS cluster; copy *source* of *store* as *table*."""
    cluster = pgcluster.create()
    dsn = (
        f"PG:host={cluster.folder} port={cluster.port} user=postgres "
        f"dbname={pgcluster.DATABASE}"
    )
    command = ["ogr2ogr", "-f", "PostgreSQL", dsn, str(store), source]
    command += ["-nln", table, "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid"]
    command += ["-lco", "SPATIAL_INDEX=GIST", "--config", "PG_USE_COPY", "YES"]
    subprocess.run(command, check=True, capture_output=True)
    socket = ("-h", str(cluster.folder), "-p", str(cluster.port))
    sql = f"GRANT SELECT ON {table} TO simpul_reader; ANALYZE {table};"
    cluster.run("psql", "-X", "-q", *socket, "-d", pgcluster.DATABASE, "-c", sql)
    return cluster


def postgis_version(cluster: pgcluster.Cluster) -> str:
    """Return the server's PostgreSQL and PostGIS versions."""
    command = [str(cluster.bindir / "psql"), "-X", "-At", "-h", str(cluster.folder)]
    command += ["-p", str(cluster.port), "-U", "postgres", "-d", pgcluster.DATABASE]
    command += ["-c", "SELECT current_setting('server_version'), postgis_lib_version()"]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    pg, postgis = out.stdout.strip().split("|")
    return f"PostgreSQL {pg}, PostGIS {postgis}"


@dataclass
class Vanilla:
    """A vanilla pygeoapi folder: config and OpenAPI document."""

    folder: Path
    python: Path

    def env(self, port: int) -> dict[str, str]:
        """Return the environment vanilla pygeoapi runs with."""
        env = dict(os.environ)
        env["PYGEOAPI_CONFIG"] = str(self.folder / "pygeoapi-config.yml")
        env["PYGEOAPI_OPENAPI"] = str(self.folder / "openapi.yml")
        return env


def configure(
    folder: Path, python: Path, cluster: pgcluster.Cluster, table: str, port: int
) -> Vanilla:
    """Write vanilla's config for *table* on *cluster* and its OpenAPI document."""
    folder.mkdir(parents=True, exist_ok=True)
    vanilla = Vanilla(folder, python)
    config = _config(cluster, table, f"http://127.0.0.1:{port}")
    (folder / "pygeoapi-config.yml").write_text(yaml.safe_dump(config))
    pygeoapi = python.with_name("pygeoapi")
    command = [
        str(pygeoapi),
        "openapi",
        "generate",
        str(folder / "pygeoapi-config.yml"),
    ]
    command += ["--output-file", str(folder / "openapi.yml")]
    subprocess.run(command, env=vanilla.env(port), check=True, capture_output=True)
    return vanilla


def serve(vanilla: Vanilla, port: int) -> server.Server:
    """Start vanilla pygeoapi's Starlette app with uvicorn, one worker."""
    log = vanilla.folder / "server.log"
    app = "pygeoapi.starlette_app:APP"
    return server.uvicorn(vanilla.python, app, vanilla.env(port), log, port)


def _config(cluster: pgcluster.Cluster, table: str, url: str) -> dict:
    """Return a minimal pygeoapi configuration serving *table*."""
    data = {
        "host": "127.0.0.1",
        "port": cluster.port,
        "dbname": pgcluster.DATABASE,
        "user": "simpul_reader",
        "password": cluster.passwords["simpul_reader"],
        "search_path": ["public"],
    }
    provider = {
        "type": "feature",
        "name": "PostgreSQL",
        "data": data,
        "id_field": "fid",
        "table": table,
        "geom_field": "geom",
    }
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    resource = {
        "type": "collection",
        "title": table,
        "description": f"{table} (benchmark)",
        "keywords": ["benchmark"],
        "extents": {"spatial": {"bbox": [-180, -90, 180, 90], "crs": crs84}},
        "providers": [provider],
    }
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 5000},
            "url": url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "pretty_print": False,
            "limits": {"default_items": 10, "max_items": 10000},
            "map": {
                "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
                "attribution": "OpenStreetMap",
            },
        },
        "logging": {"level": "WARNING"},
        "metadata": _metadata(),
        "resources": {table: resource},
    }


def _metadata() -> dict:
    """Return the metadata block pygeoapi's config schema requires."""
    return {
        "identification": {
            "title": "vanilla pygeoapi",
            "description": "benchmark peer",
            "keywords": ["benchmark"],
            "keywords_type": "theme",
            "terms_of_service": "none",
            "url": "http://127.0.0.1",
        },
        "license": {"name": "MIT", "url": "http://127.0.0.1"},
        "provider": {"name": "benchmark", "url": "http://127.0.0.1"},
        "contact": {"name": "benchmark", "email": "bench@localhost"},
    }
