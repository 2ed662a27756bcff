"""Start an HTTP server in a subprocess on a free loopback port; stop it."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    """A server process and the loopback URL it answers on."""

    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        """The base URL."""
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop the process (and its children) that this object started."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def free_port() -> int:
    """Return a TCP port free on the loopback right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    command: list[str], env: dict[str, str], port: int, log: Path, ready: str = "/"
) -> Server:
    """Run *command* and wait until GET *ready* answers 200."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, port, log)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} exited; see {log}")
        if _answers(port, ready):
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"no answer on port {port} after 90 s; see {log}")


def _answers(port: int, path: str) -> bool:
    """Tell whether GET *path* answers 200."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", path)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def uvicorn(
    python: Path, app: str, env: dict[str, str], log: Path, port: int
) -> Server:
    """Serve the ASGI *app* with uvicorn on *port*: one worker, no access log."""
    command = [str(python), "-m", "uvicorn", app, "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--no-access-log"]
    command += ["--log-level", "warning", "--no-proxy-headers"]
    return start(command, env, port, log, ready="/collections?f=json")
