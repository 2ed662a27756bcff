"""Republish, unpublish, list, sample data, and a publish killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from simpul.catalogue import repository
from simpul.catalogue.node import load_node
from simpul.publish import pipeline, sample
from simpul.store.gpkg_read import GeoPackageStore
from simpul.store.gpkg_write import GeoPackageWriter

sys.path.insert(0, str(Path(__file__).parent))
from publish_fixtures import (  # noqa: E402
    BENCH,
    KECAMATAN,
    KELURAHAN,
    REPO,
    NodeDir,
    needs_data,
    node_dir,
)

__all__ = ["node_dir"]
SIMPUL = Path(sys.executable).with_name("simpul")


@needs_data
def test_republish_serves_the_old_layer_until_the_swap(
    node_dir: NodeDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    node_dir.simpul("publish", KELURAHAN, "--name", "wilayah")
    old = node_dir.layers()["wilayah"]
    seen: list[tuple[str, str, int]] = []

    def served(step: str) -> None:
        layer = GeoPackageStore(node_dir.store).layer("wilayah")
        seen.append((step, layer.version, layer.count))

    read_table = pipeline.read_table
    write_table = GeoPackageWriter._write_table

    def reading(*args: Any) -> Any:
        served("before reading")
        table = read_table(*args)
        served("after reading")
        return table

    def writing(self: GeoPackageWriter, *args: Any) -> None:
        write_table(self, *args)
        served("new table written")

    monkeypatch.setattr(pipeline, "read_table", reading)
    monkeypatch.setattr(GeoPackageWriter, "_write_table", writing)
    result = node_dir.simpul("publish", KECAMATAN, "--name", "wilayah")

    assert result.code == 0, result.err
    assert [(v, n) for _, v, n in seen] == [(old.version, 20)] * 3
    new = node_dir.layers()["wilayah"]
    assert new.version != old.version and new.count == 156
    assert "156 area features" in node_dir.resources()["wilayah"]["description"]


@needs_data
def test_unpublish_removes_config_entry_and_layer(node_dir: NodeDir) -> None:
    node_dir.simpul("publish", KELURAHAN, "--name", "kelurahan")
    node_dir.simpul("publish", KECAMATAN, "--name", "kecamatan")

    result = node_dir.simpul("unpublish", "kelurahan")

    assert result.code == 0, result.err
    assert list(node_dir.resources()) == ["kecamatan"]
    assert list(node_dir.layers()) == ["kecamatan"]
    assert "/collections/kelurahan:" not in node_dir.openapi.read_text()


def test_unpublish_unknown_dataset_is_refused(node_dir: NodeDir) -> None:
    result = node_dir.simpul("unpublish", "nothing")

    assert result.code == 1
    assert "no dataset named nothing" in result.err


@needs_data
def test_list_shows_counts_and_configuration(node_dir: NodeDir) -> None:
    node_dir.simpul("publish", KELURAHAN, "--name", "kelurahan")
    node_dir.simpul("publish", KECAMATAN, "--name", "kecamatan")
    text = node_dir.config.read_text(encoding="utf-8")
    node_dir.config.write_text(text.replace("  kecamatan:", "  other:"))

    result = node_dir.simpul("list")

    assert result.code == 0, result.err
    lines = sorted(result.out.splitlines())
    assert lines[0].startswith("kecamatan\tMultiPolygon\t156 features\tNOT in config")
    assert lines[1] == "kelurahan\tPolygon\t20 features\tconfigured"
    assert lines[2].startswith("other\t-\tmissing from store")


@needs_data
def test_store_option_overrides_the_config(node_dir: NodeDir) -> None:
    other = node_dir.root / "other.gpkg"

    node_dir.simpul("publish", KELURAHAN, "--name", "k", "--store", str(other))

    assert node_dir.resources()["k"]["providers"][0]["data"] == str(other)
    assert GeoPackageStore(other).layer("k").count == 20
    assert not node_dir.store.exists()


@needs_data
def test_published_dataset_gets_vector_tiles_and_keeps_the_operators_settings(
    node_dir: NodeDir,
) -> None:
    node_dir.simpul("publish", KELURAHAN, "--name", "kelurahan")
    tiles = node_dir.resources()["kelurahan"]["providers"][1]
    assert tiles["type"] == "tile"
    assert tiles["name"] == "simpul_providers.tiles.TileProvider"
    assert tiles["table"] == "kelurahan"
    assert tiles["options"]["zoom"] == {"min": 0, "max": 18}

    config = yaml.safe_load(node_dir.config.read_text(encoding="utf-8"))
    edited = config["resources"]["kelurahan"]["providers"][1]
    edited["options"] = {"zoom": {"min": 10, "max": 16}, "properties": ["nama"]}
    node_dir.config.write_text(yaml.safe_dump(config), encoding="utf-8")
    node_dir.simpul("publish", KELURAHAN, "--name", "kelurahan")

    providers = node_dir.resources()["kelurahan"]["providers"]
    assert [p["type"] for p in providers] == ["feature", "tile"]
    assert providers[1]["options"] == edited["options"]
    assert providers[1]["data"] == providers[0]["data"]


def test_sample_is_published_only_into_an_empty_store(node_dir: NodeDir) -> None:
    first = node_dir.simpul("sample", "--if-empty")
    versions = node_dir.state()[1]
    second = node_dir.simpul("sample", "--if-empty")

    assert first.code == 0 and second.code == 0, first.err + second.err
    layers = node_dir.layers()
    assert layers["ADMINISTRASIKECAMATAN_PT_25K"].count == 5
    assert layers["TEMPATUMUM_PT_25K"].count == len(sample.PLACE_ROWS)
    assert node_dir.state()[1] == versions
    entry = node_dir.resources()["TEMPATUMUM_PT_25K"]
    assert entry["providers"][0]["time_field"] == "TGLUPDATE"
    assert entry["providers"][0]["title_field"] == "NAMOBJ"
    openapi = node_dir.openapi.read_text(encoding="utf-8")
    assert "/collections/TEMPATUMUM_PT_25K:" in openapi
    assert "/collections/ADMINISTRASIKECAMATAN_PT_25K:" in openapi


def test_sample_data_comes_with_complete_metadata(node_dir: NodeDir) -> None:
    result = node_dir.simpul("sample")

    assert result.code == 0, result.err
    assert "warning:" not in result.err, result.err
    assert result.err.count(", 0 warnings,") == 2
    node = load_node(node_dir.config)
    records = {r[0]: r[2] for r in repository.read_records(node.database)}
    record = records[node.record_id("TEMPATUMUM_PT_25K")]["properties"]
    assert record["title"] == "Tempat umum Banjarbaru"
    assert "bandar udara" in record["description"]


def test_committed_sample_files_match_the_generator(tmp_path: Path) -> None:
    for path in sample.write_samples(tmp_path):
        assert path.read_bytes() == (REPO / "data" / "sample" / path.name).read_bytes()


def test_openapi_command_honours_pygeoapi_openapi(
    node_dir: NodeDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = node_dir.root / "elsewhere" / "api.yml"
    monkeypatch.setenv("PYGEOAPI_OPENAPI", str(target))

    result = node_dir.simpul("openapi")

    assert result.code == 0, result.err
    assert target.read_text().startswith(("openapi:", "components:"))


@pytest.fixture(scope="session")
def buildings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return 150,000 generated building footprints as GeoJSON lines."""
    script = BENCH / "make_buildings.py"
    if not script.exists():
        pytest.skip("the building generator is not present")
    out = tmp_path_factory.mktemp("bench") / "buildings.geojsonl"
    command = [sys.executable, script, "--count", "150000", "--out", out]
    subprocess.run(command, check=True, capture_output=True)
    return out


def publish_process(node: NodeDir, path: Path, name: str) -> subprocess.Popen:
    """Start `simpul publish` in its own process, its messages on a pipe."""
    command = [SIMPUL, "publish", path, "--name", name, "--config", node.config]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIMPUL_")}
    return subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env=env, cwd=node.root
    )


@needs_data
def test_concurrent_publishes_all_reach_the_config_and_the_catalogue(
    node_dir: NodeDir,
) -> None:
    names = ["kelurahan", "kecamatan", "kelurahan2", "kecamatan2"]
    processes = [
        publish_process(node_dir, KELURAHAN if "kel" in n else KECAMATAN, n)
        for n in names
    ]

    errors = [p.communicate(timeout=120)[1] for p in processes]

    assert [p.returncode for p in processes] == [0] * len(names), errors
    assert sorted(node_dir.resources()) == sorted(names)
    assert sorted(node_dir.layers()) == sorted(names)
    node = load_node(node_dir.config)
    identifiers = [r[0] for r in repository.read_records(node.database)]
    assert sorted(identifiers) == sorted(map(node.record_id, names))


@needs_data
def test_publish_killed_half_way_changes_nothing(
    node_dir: NodeDir, buildings: Path
) -> None:
    node_dir.simpul("publish", KELURAHAN, "--name", "BANGUNAN_AR_5K")
    before = node_dir.state()

    process = publish_process(node_dir, buildings, "BANGUNAN_AR_5K")
    for line in process.stderr:
        if line.startswith("writing"):
            break
    time.sleep(0.5)
    assert process.poll() is None, "the publish ended before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()

    assert node_dir.state() == before
    started = time.monotonic()
    again = publish_process(node_dir, buildings, "BANGUNAN_AR_5K")
    _, err = again.communicate(timeout=300)
    elapsed = time.monotonic() - started
    assert again.returncode == 0, err
    assert node_dir.layers()["BANGUNAN_AR_5K"].count == 150_000
    assert "10%" in err and "published BANGUNAN_AR_5K" in err
    print(f"published 150,000 buildings in {elapsed:.1f} s")
