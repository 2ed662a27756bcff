"""Publish or unpublish one dataset with its record, as the `simpul` command will.

Run as a script so that every publication writes the store from a process of its
own, as an operator's command does: `python catalogue_publish.py CONFIG NAME [PATH]`
prints the record's warnings as JSON; without PATH the dataset is removed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from simpul.nodeconfig import load_config
from simpul.publish.node import regenerate_openapi, unpublish
from simpul.publish.pipeline import Request, publish
from simpul.publish.records import publish_record, remove_record


def main(config: Path, name: str, path: Path | None) -> list[str]:
    """Publish (or, without *path*, remove) dataset *name*; return the warnings."""
    if path is None:
        unpublish(config, name)
        remove_record(config, name)
        regenerate_openapi(config)
        return []
    layer = publish(Request(path=path, name=name, config=config))
    resource = load_config(config)["resources"][name]
    warnings = publish_record(config, name, layer, resource)
    regenerate_openapi(config)
    return warnings


if __name__ == "__main__":
    source = Path(sys.argv[3]) if len(sys.argv) > 3 else None
    print(json.dumps(main(Path(sys.argv[1]), sys.argv[2], source)))
