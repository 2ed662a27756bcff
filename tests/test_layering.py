"""Publishing and serving meet only through the store and the catalogue.

Each side is imported in a fresh interpreter, which then must not have loaded the
other side's modules.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

SERVING = ("simpul.server", "simpul_providers")
PUBLISHING = ("simpul.publish", "simpul.cli")

CASES = {
    "serving": (
        "import simpul.server.app, simpul_providers.features, "
        "simpul_providers.tiles, simpul_providers.records",
        PUBLISHING,
    ),
    "publishing": ("import simpul.cli, simpul.publish.pipeline", SERVING),
}


@pytest.mark.parametrize("side", list(CASES))
def test_one_side_does_not_import_the_other(side: str) -> None:
    imports, forbidden = CASES[side]
    script = (
        f"{imports}\nimport sys\n"
        f"print(sorted(m for m in sys.modules if m.startswith({forbidden!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
