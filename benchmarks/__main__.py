"""Run benchmark suites: `python -m benchmarks [suite ...] [options]`.

A suite is a module benchmarks/<name>.py with a top-level `main` function; other
modules there are helpers. A `main(argv) -> int` is imported and called; a
`main()` reading sys.argv is run as a script. The options after the suite names
go to every suite run. With no suite named, all of them run.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def suites() -> dict[str, Path]:
    """Return the suites found beside this file, by name."""
    found = {}
    for path in sorted(HERE.glob("*.py")):
        if not path.name.startswith("_") and _main(path) is not None:
            found[path.stem] = path
    return found


def _main(path: Path) -> ast.FunctionDef | None:
    """Return the top-level `main` function of the module at *path*, if any."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "main":
            return node
    return None


def takes_argv(path: Path) -> bool:
    """Tell whether the suite's `main` takes the argument list."""
    main = _main(path)
    return main is not None and len(main.args.args) == 1


def run(name: str, path: Path, options: list[str]) -> int:
    """Run one suite and return its exit status."""
    print(f"== {name} ==", flush=True)
    if takes_argv(path):
        module = importlib.import_module(f"benchmarks.{name}")
        return int(module.main(options) or 0)
    return subprocess.run([sys.executable, str(path), *options]).returncode


def main(argv: list[str]) -> int:
    """Run the named suites (all when none is named) and return the worst status."""
    known = suites()
    if argv and argv[0] in ("-h", "--help"):
        print(__doc__)
        print(f"suites: {', '.join(known)}")
        return 0
    names = []
    while argv and not argv[0].startswith("-"):
        if argv[0] not in known:
            print(f"no suite {argv[0]!r}; suites: {', '.join(known)}", file=sys.stderr)
            return 2
        names.append(argv.pop(0))
    statuses = [run(n, known[n], argv) for n in names or list(known)]
    return max(statuses, default=0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
