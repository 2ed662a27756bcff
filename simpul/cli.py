"""The `simpul` command: publish, unpublish, list, serve, openapi, sample."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from simpul.publish import config, node
from simpul.publish.pipeline import Request, publish
from simpul.publish.report import PublishError

logger = logging.getLogger(__name__)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return 0 ok, 1 rejected input, 2 bad usage."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("SIMPUL_LOG_LEVEL", "WARNING"))
    command: Callable[[argparse.Namespace], int] = args.command
    try:
        return command(args)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def parser() -> argparse.ArgumentParser:
    """Return the argument parser with one subcommand per operation."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="node configuration (pygeoapi-config.yml)")
    common.add_argument("--store", help="store path or postgresql:// URL")

    top = argparse.ArgumentParser(prog="simpul", description=__doc__)
    sub = top.add_subparsers(dest="name", required=True, metavar="COMMAND")

    pub = sub.add_parser("publish", parents=[common], help="publish a data file")
    pub.add_argument("path", type=Path, help="Shapefile (or zip), GeoJSON, ...")
    pub.add_argument("--name", required=True, help="dataset (collection) name")
    pub.add_argument("--layer", help="layer to read from a multi-layer file")
    pub.add_argument("--crs", help="CRS of the file, e.g. EPSG:32750")
    pub.add_argument("--title", help="collection title")
    pub.set_defaults(command=run_publish)

    unpub = sub.add_parser("unpublish", parents=[common], help="remove a dataset")
    unpub.add_argument("dataset", help="dataset name")
    unpub.set_defaults(command=run_unpublish)

    sub.add_parser("list", parents=[common], help="list datasets").set_defaults(
        command=run_list
    )

    serve = sub.add_parser("serve", parents=[common], help="run the node server")
    serve.add_argument("--host", help="address to listen on")
    serve.add_argument("--port", type=int, help="port to listen on")
    serve.set_defaults(command=run_serve)

    sub.add_parser(
        "openapi", parents=[common], help="regenerate the OpenAPI document"
    ).set_defaults(command=run_openapi)

    sample = sub.add_parser("sample", parents=[common], help="publish sample data")
    sample.add_argument(
        "--if-empty", action="store_true", help="only when nothing is published yet"
    )
    sample.set_defaults(command=run_sample)
    return top


def run_publish(args: argparse.Namespace) -> int:
    """Publish one file, then regenerate the OpenAPI document."""
    path = config.config_path(args.config)
    request = Request(
        path=args.path,
        name=args.name,
        config=path,
        layer=args.layer,
        crs=args.crs,
        title=args.title,
        store=args.store,
    )
    publish(request)
    node.regenerate_openapi(path)
    return 0


def run_unpublish(args: argparse.Namespace) -> int:
    """Remove a dataset from the config, then from the store."""
    path = config.config_path(args.config)
    node.unpublish(path, args.dataset, args.store)
    node.regenerate_openapi(path)
    print(f"unpublished {args.dataset}", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print one line per dataset: name, type, count, whether it is configured."""
    rows = node.datasets(config.config_path(args.config), args.store)
    for row in rows:
        count = "missing from store" if row.count is None else f"{row.count} features"
        where = "configured" if row.configured else "NOT in config"
        print(f"{row.name}\t{row.geometry_type or '-'}\t{count}\t{where}")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    """Serve the node with uvicorn until interrupted."""
    path = config.config_path(args.config).absolute()
    os.environ.setdefault("PYGEOAPI_OPENAPI", str(config.openapi_path(path)))
    if args.port and "SIMPUL_URL" not in os.environ:
        # The config's default public URL is http://localhost:5000; on another
        # port, links must lead to where the node answers.
        os.environ["SIMPUL_URL"] = f"http://localhost:{args.port}"
    from simpul.server.app import run

    run(path, args.host, args.port)
    return 0


def run_openapi(args: argparse.Namespace) -> int:
    """Regenerate the OpenAPI document from the config."""
    written = node.regenerate_openapi(config.config_path(args.config))
    print(f"wrote {written}", file=sys.stderr)
    return 0


def run_sample(args: argparse.Namespace) -> int:
    """Publish the project's sample layers (only into an empty store if asked)."""
    from simpul.publish import sample

    path = config.config_path(args.config)
    if args.if_empty and not node.is_empty(path, args.store):
        print("the store already has layers; sample not published", file=sys.stderr)
        return 0
    sample.publish_samples(path, args.store)
    node.regenerate_openapi(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
