"""A throwaway PostgreSQL/PostGIS cluster, for the tests and the benchmarks.

It runs Debian's server binaries in a temporary folder on a free loopback port,
with the node's two roles created by deploy/initdb/roles.sql and random
passwords. Nothing outside the folder is touched; `stop()` removes it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROLES_SQL = Path(__file__).resolve().parents[2] / "deploy" / "initdb" / "roles.sql"
DATABASE = "simpul"


def server_bindir() -> Path | None:
    """Return the bin folder of a PostgreSQL server that has PostGIS, if any."""
    for bindir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        version = bindir.parent.name
        control = Path(f"/usr/share/postgresql/{version}/extension/postgis.control")
        if (bindir / "initdb").exists() and control.exists():
            return bindir
    return None


@dataclass
class Cluster:
    """A running cluster and the passwords of its roles."""

    folder: Path
    bindir: Path
    port: int
    passwords: dict[str, str] = field(default_factory=dict)

    def url(self, role: str, database: str = DATABASE) -> str:
        """Return the connection URL of *role* over TCP on the loopback."""
        password = quote(self.passwords[role], safe="")
        return f"postgresql://{role}:{password}@127.0.0.1:{self.port}/{database}"

    def admin_url(self, database: str = DATABASE) -> str:
        """Return the superuser's URL, over the cluster's private socket."""
        return f"postgresql://postgres@/{database}?host={self.folder}&port={self.port}"

    def run(self, *args: str) -> None:
        """Run a server binary as the operating system's postgres user."""
        command = [str(self.bindir / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stderr or done.stdout}")

    def start(self) -> None:
        """Start (or restart) the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = str(self.folder / "server.log")
        data = str(self.folder / "data")
        self.run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server, leaving its files."""
        self.run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        """Stop the server if it runs, and delete the cluster's folder."""
        try:
            self.stop("immediate")
        except RuntimeError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def create(parent: Path | None = None) -> Cluster:
    """Create and start a cluster with PostGIS and the node's roles."""
    bindir = server_bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL server with PostGIS is installed")
    folder = Path(tempfile.mkdtemp(prefix="simpul-pg-", dir=parent))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = Cluster(folder, bindir, _free_port())
    cluster.run(
        "initdb",
        "-D",
        str(folder / "data"),
        "-U",
        "postgres",
        "-E",
        "UTF8",
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--no-sync",
    )
    cluster.start()
    cluster.passwords = {
        "simpul_publisher": secrets.token_urlsafe(18),
        "simpul_reader": secrets.token_urlsafe(18),
    }
    _psql(cluster, "-d", "postgres", "-c", f"CREATE DATABASE {DATABASE}")
    _psql(
        cluster,
        "-d",
        DATABASE,
        "-v",
        f"publisher_password={cluster.passwords['simpul_publisher']}",
        "-v",
        f"reader_password={cluster.passwords['simpul_reader']}",
        "-f",
        str(ROLES_SQL),
    )
    return cluster


def _psql(cluster: Cluster, *args: str) -> None:
    """Run psql as the superuser against the cluster's socket."""
    socket_args = ("-h", str(cluster.folder), "-p", str(cluster.port))
    cluster.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", *socket_args, *args)


def _free_port() -> int:
    """Return a TCP port free on the loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
