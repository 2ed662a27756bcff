"""Run benchmark suites: `python -m benchmarks [suite ...] [options]`.

A suite is a module benchmarks/<name>.py. One that defines `main(argv) -> int`
is imported and called; any other (a `main()` reading sys.argv) is run as a
script. The options after the suite names go to every suite run. With no suite
named, all of them run.
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
        if not path.name.startswith("_"):
            found[path.stem] = path
    return found


def takes_argv(path: Path) -> bool:
    """Tell whether the module at *path* defines `main` taking an argument list."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.FunctionDef)
        and node.name == "main"
        and len(node.args.args) == 1
        for node in tree.body
    )


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
