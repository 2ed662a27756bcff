"""The node's own tile cache: files on disk, bounded in size, keyed by version.

Tiles live under ``<root>/<collection>/<version>-<options>/<tms>/<z>/<y>/<x>.mvt``;
an empty file stands for a tile with no data. Republishing a collection gives
its layer a new version, so the old folder is never read again and is removed
when the first tile of the new version is written.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from simpul.store import is_database, resolve

from . import TileOptions

LOGGER = logging.getLogger(__name__)

#: Changes whenever the renderer's output changes, so old tiles are not reused.
RENDERER = "simpul-mvt-1"


def cache_root(reference: str, base_dir: Path) -> Path:
    """Return the folder holding the tile cache of the store *reference*.

    A GeoPackage's cache sits beside it; a database's in the node's data folder.
    *base_dir* is the folder of the node's configuration.
    """
    resolved = resolve(reference, base_dir)
    if is_database(resolved):
        return Path(base_dir) / "data" / "cache" / "tiles"
    return Path(resolved).parent / "cache" / "tiles"


def remove_collection(root: Path, collection: str) -> None:
    """Delete every cached tile of *collection* (it is no longer served)."""
    folder = Path(root) / collection
    if folder.is_dir() and folder.parent == Path(root):
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class CacheKey:
    """Where a tile is kept, and the entity tag it is served with."""

    folder: Path  # the collection's folder for this version and these options
    path: Path
    etag: str


@dataclass(frozen=True)
class CachedTile:
    """A tile as served: its bytes (None: no data) and its entity tag."""

    data: bytes | None
    etag: str


class TileCache:
    """Tiles on disk under *root*, evicting the least recently used past a bound."""

    def __init__(self, root: Path, max_bytes: int) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._size: int | None = None
        self._current: set[Path] = set()

    def key(
        self,
        collection: str,
        version: str,
        options: TileOptions,
        tms_id: str,
        z: int,
        y: int,
        x: int,
    ) -> CacheKey:
        """Return the key of one tile of one version of a collection."""
        digest = hashlib.sha1(f"{RENDERER}{options!r}".encode()).hexdigest()[:10]
        folder = self.root / collection / f"{version}-{digest}"
        path = folder / tms_id / str(z) / str(y) / f"{x}.mvt"
        return CacheKey(folder, path, f'"{version}-{digest}"')

    def get(self, key: CacheKey) -> CachedTile | None:
        """Return the cached tile, or None when it is not cached."""
        try:
            with open(key.path, "rb") as file:
                data = file.read()
            os.utime(key.path)  # recently used: evicted last
        except FileNotFoundError:
            return None
        return CachedTile(data or None, key.etag)

    def put(self, key: CacheKey, data: bytes | None) -> CachedTile:
        """Store a freshly rendered tile and return it; failures only log."""
        tile = CachedTile(data, key.etag)
        try:
            self._retire_other_versions(key.folder)
            key.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=key.path.parent, suffix=".part")
            with os.fdopen(fd, "wb") as file:
                file.write(data or b"")
            os.replace(tmp, key.path)
        except OSError as err:
            LOGGER.warning("Cannot cache tile %s: %s", key.path, err)
            return tile
        self._grow(_on_disk(len(data or b"")))
        return tile

    def _retire_other_versions(self, folder: Path) -> None:
        """Remove the collection's folders of other versions, once per process."""
        if folder in self._current:
            return
        if folder.parent.is_dir():
            for old in folder.parent.iterdir():
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
        self._current.add(folder)
        self._size = None  # measure again after removing

    def _grow(self, added: int) -> None:
        """Account for *added* bytes; evict old tiles when over the bound."""
        with self._lock:
            if self._size is None:
                self._size = sum(size for _, size, _ in _files(self.root))
            self._size += added
            if self._size > self.max_bytes:
                self._size = _evict(self.root, int(self.max_bytes * 0.8))


def _files(root: Path) -> list[tuple[float, int, str]]:
    """Return (last use, size, path) of every cached tile."""
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                continue
            found.append((stat.st_mtime, _on_disk(stat.st_size), path))
    return found


def _on_disk(size: int) -> int:
    """Return the space a file of *size* bytes takes, in whole 4 KiB blocks."""
    return max(1, -(-size // 4096)) * 4096


def _evict(root: Path, target: int) -> int:
    """Delete the least recently used tiles until at most *target* bytes stay."""
    files = sorted(_files(root))
    size = sum(s for _, s, _ in files)
    for _, file_size, path in files:
        if size <= target:
            break
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        size -= file_size
    LOGGER.info("Tile cache %s trimmed to %d bytes", root, size)
    return size
