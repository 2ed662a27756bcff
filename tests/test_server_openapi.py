"""Writing, reading and hot-reloading the configuration and OpenAPI files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from simpul.openapi import load_openapi, with_server_url, write_openapi
from simpul.server import reload
from simpul.server.reload import ConfigUnavailable, Watcher

BASE_CONFIG = Path(__file__).resolve().parent.parent / "pygeoapi-config.yml"


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return a temp copy of the base configuration, with no overrides set."""
    monkeypatch.delenv("SIMPUL_URL", raising=False)
    monkeypatch.delenv("SIMPUL_STORE", raising=False)
    path = tmp_path / "pygeoapi-config.yml"
    shutil.copyfile(BASE_CONFIG, path)
    return path


@pytest.mark.parametrize("name", ["openapi.yml", "openapi.json"])
def test_write_openapi_round_trips_in_either_format(config, name):
    target = config.with_name(name)

    write_openapi(config, target)

    document = load_openapi(target)
    assert document["openapi"].startswith("3.0")
    assert document["servers"][0]["url"] == "http://localhost:5000"
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".")]


def test_write_openapi_skips_a_collection_that_cannot_load(config):
    raw = yaml.safe_load(config.read_text())
    raw["resources"]["rusak"] = {
        "type": "collection",
        "title": "Rusak",
        "description": "Provider module missing",
        "keywords": ["x"],
        "extents": {"spatial": {"bbox": [114.7, -3.5, 114.9, -3.4]}},
        "providers": [{"type": "feature", "name": "no.such.Provider", "data": "x"}],
    }
    config.write_text(yaml.safe_dump(raw))

    document = load_openapi(write_openapi(config, config.with_name("o.yml")))

    assert "/collections/rusak/items" not in document["paths"]


def test_server_url_is_replaced_in_a_copy():
    document = {"servers": [{"url": "http://localhost:5000", "description": "d"}]}

    moved = with_server_url(document, "https://geo.go.id/simpul")

    assert moved["servers"] == [{"url": "https://geo.go.id/simpul", "description": "d"}]
    assert document["servers"][0]["url"] == "http://localhost:5000"


def test_watcher_reloads_only_when_a_file_changes(config, monkeypatch):
    monkeypatch.setattr(reload, "CHECK_INTERVAL", 0)
    openapi = write_openapi(config, config.with_name("o.yml"))
    watcher = Watcher(config, openapi)
    first = watcher.current()

    assert watcher.current() is first

    raw = yaml.safe_load(config.read_text())
    raw["metadata"]["identification"]["title"] = "Baru"
    tmp = config.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(raw))
    os.replace(tmp, config)

    second = watcher.current()
    assert second.generation == first.generation + 1
    assert second.config["metadata"]["identification"]["title"] == "Baru"


def test_watcher_without_a_loadable_config_is_unavailable(tmp_path):
    watcher = Watcher(tmp_path / "missing.yml", tmp_path / "o.yml")

    with pytest.raises(ConfigUnavailable):
        watcher.current()
    assert watcher.error


def test_relative_paths_resolve_against_the_config_folder(config):
    openapi = write_openapi(config, config.with_name("o.yml"))

    settings = Watcher(config, openapi).current().settings

    assert settings.store == str(config.parent / "data" / "simpul.gpkg")
    assert settings.kode_simpul == "6372"
    assert settings.trusted_proxies == ()
