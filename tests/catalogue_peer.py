"""A harvesting peer: pycsw 2.6.2, as provincial nodes run it, in its own venv."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".peer" / "pycsw-2.6.2"
#: pycsw 2.6.2 installs only beside these older releases of its dependencies.
REQUIREMENTS = ["pycsw==2.6.2", "SQLAlchemy<2", "setuptools<81", "OWSLib<0.29"]
CONFIG = """[server]
home={home}
url={url}
mimetype=application/xml; charset=UTF-8
encoding=UTF-8
language=en-US
maxrecords=100
profiles=apiso

[manager]
transactions=true
allowed_ips=127.0.0.1
csw_harvest_pagesize=3

[metadata:main]
identification_title=Simpul Jaringan Provinsi Kalimantan Selatan
identification_abstract=Harvesting peer
identification_keywords=JIGN
identification_keywords_type=theme
identification_fees=None
identification_accessconstraints=None
provider_name=Pemerintah Provinsi Kalimantan Selatan
provider_url=https://kalselprov.go.id
contact_name=Pengelola Simpul
contact_position=Pengelola
contact_address=Banjarbaru
contact_city=Banjarbaru
contact_stateorprovince=Kalimantan Selatan
contact_postalcode=70714
contact_country=Indonesia
contact_phone=-
contact_fax=-
contact_email=simpul@kalselprov.go.id
contact_url=https://kalselprov.go.id
contact_hours=-
contact_instructions=-
contact_role=pointOfContact

[metadata:inspire]
enabled=false

[repository]
database=sqlite:///{home}/peer.db
table=records
"""


@dataclass
class Peer:
    """A running pycsw peer and its CSW endpoint."""

    url: str
    process: subprocess.Popen

    def harvest(self, source: str) -> bytes:
        """Ask the peer to harvest the CSW at *source*; return its response."""
        body = (
            '<csw:Harvest xmlns:csw="http://www.opengis.net/cat/csw/2.0.2" '
            f'service="CSW" version="2.0.2"><csw:Source>{source}</csw:Source>'
            "<csw:ResourceType>http://www.opengis.net/cat/csw/2.0.2"
            "</csw:ResourceType></csw:Harvest>"
        )
        headers = {"Content-Type": "application/xml"}
        response = requests.post(self.url, data=body, headers=headers, timeout=120)
        assert b"HarvestResponse" in response.content, response.text
        return response.content


def peer_python() -> Path:
    """Return the peer's interpreter, creating its virtualenv on first use."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS]
        done = subprocess.run(pip, capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot install the pycsw peer: {done.stderr[-500:]}")
    return python


def start_peer(folder: Path, port: int) -> Peer:
    """Set up the peer's repository in *folder* and serve it on *port*."""
    python = peer_python()
    url = f"http://127.0.0.1:{port}/"
    config = folder / "peer.cfg"
    config.write_text(CONFIG.format(home=folder, url=url), encoding="utf-8")
    admin = VENV / "bin" / "pycsw-admin.py"
    setup = [str(python), str(admin), "-c", "setup_db", "-f", str(config)]
    subprocess.run(setup, check=True, capture_output=True)

    env = {**os.environ, "PYCSW_CONFIG": str(config)}
    with (folder / "peer.log").open("wb") as log:
        process = subprocess.Popen(
            [str(python), "-m", "pycsw.wsgi", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            requests.get(f"{url}?service=CSW&request=GetCapabilities", timeout=2)
            return Peer(url, process)
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    pytest.fail("the pycsw peer did not start")
