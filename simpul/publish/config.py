"""Read and rewrite pygeoapi-config.yml, keeping its comments and order."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError

from simpul.publish.report import PublishError
from simpul.store import is_database

DEFAULT_CONFIG = "pygeoapi-config.yml"
DEFAULT_STORE = "data/simpul.gpkg"
#: ${NAME} or ${NAME:-default}, as pygeoapi substitutes them.
ENV_REFERENCE = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


def config_path(given: str | None) -> Path:
    """Return --config, else $PYGEOAPI_CONFIG, else ./pygeoapi-config.yml."""
    return Path(given or os.environ.get("PYGEOAPI_CONFIG") or DEFAULT_CONFIG)


def openapi_path(config: Path) -> Path:
    """Return $PYGEOAPI_OPENAPI, else openapi/openapi.yml beside the config."""
    given = os.environ.get("PYGEOAPI_OPENAPI")
    return Path(given) if given else config.parent / "openapi" / "openapi.yml"


def yaml() -> YAML:
    """Return a round-trip YAML reader/writer that keeps the file's layout."""
    handler = YAML()
    handler.preserve_quotes = True
    handler.width = 4096
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


def load(path: Path) -> CommentedMap:
    """Read the configuration file; refuse a missing or unreadable one."""
    try:
        with path.open(encoding="utf-8") as fh:
            doc = yaml().load(fh)
    except FileNotFoundError:
        raise PublishError(
            f"{path} does not exist; give the node configuration with --config."
        ) from None
    except YAMLError as exc:
        problem = str(exc).splitlines()[0]
        raise PublishError(f"{path} is not valid YAML: {problem}.") from None
    if not isinstance(doc, CommentedMap):
        raise PublishError(f"{path} does not hold a configuration mapping.")
    return doc


def store_reference(doc: CommentedMap, override: str | None) -> str:
    """Return the store reference as written (--store, else simpul.store)."""
    if override:
        return override
    section = doc.get("simpul") or {}
    return str(section.get("store") or DEFAULT_STORE)


def served_reference(doc: CommentedMap, override: str | None, base_dir: Path) -> str:
    """Return the store reference a collection's entry records for serving.

    The node's own reference (usually ``${SIMPUL_STORE:-...}``) is kept when
    --store names the same database or file, so each process still connects
    with its own role. A database URL of another store is written without its
    password: the config is shared and often committed.
    """
    configured = store_reference(doc, None)
    if not override:
        return configured
    try:
        node_store = expand(configured)
    except PublishError:
        node_store = ""
    if is_database(override):
        if is_database(node_store) and _same_database(override, node_store):
            return configured
        return without_password(override)
    if node_store and not is_database(node_store):
        if (base_dir / node_store).resolve() == Path(override).resolve():
            return configured
    return override


def without_password(reference: str) -> str:
    """Return *reference* safe to print or write: a URL loses its password."""
    if not is_database(reference):
        return reference
    url = urlsplit(reference)
    if url.password is None:
        return reference
    netloc = url.hostname or ""
    if url.username:
        netloc = f"{url.username}@{netloc}"
    if url.port:
        netloc = f"{netloc}:{url.port}"
    return urlunsplit(url._replace(netloc=netloc))


def _same_database(a: str, b: str) -> bool:
    """Tell whether two connection URLs name one database (roles aside)."""
    x, y = urlsplit(a), urlsplit(b)
    return (x.hostname, x.port or 5432, x.path) == (y.hostname, y.port or 5432, y.path)


def expand(reference: str) -> str:
    """Fill ${NAME} and ${NAME:-default} from the environment."""

    def fill(match: re.Match[str]) -> str:
        value = os.environ.get(match.group(1)) or match.group(2)
        if value is None:
            raise PublishError(
                f"the store reference {reference} needs the environment "
                f"variable {match.group(1)}, which is not set."
            )
        return value

    return ENV_REFERENCE.sub(fill, reference)


def resources(doc: CommentedMap) -> CommentedMap:
    """Return the resources mapping, creating an empty one if needed."""
    if not isinstance(doc.get("resources"), CommentedMap):
        doc["resources"] = CommentedMap()
    return doc["resources"]


@contextlib.contextmanager
def editing(path: Path) -> Iterator[CommentedMap]:
    """Load the config under a lock, yield it for changes, then save it atomically."""
    # The file itself is replaced on save, so the lock is taken on its folder.
    folder = os.open(path.parent.absolute(), os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)
        doc = load(path)
        yield doc
        save(path, doc)
    finally:
        os.close(folder)


def save(path: Path, doc: Any) -> None:
    """Write *doc* to a temporary file beside *path*, then rename it over *path*."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yaml().dump(doc, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
