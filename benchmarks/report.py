"""Print the benchmark's results as one table, with ratios to the floor and peers."""

from __future__ import annotations

from typing import Any

from load import Load

PEERS = ("tipg", "pygeoapi")


def table(results: dict[str, dict[str, Any]], args: Any) -> str:
    """Return the results as a fixed-width text table."""
    columns: list[str] = []
    for values in results.values():
        columns += [c for c in values if c not in columns and c != "floor"]
    columns.append("floor")
    ours = f"ours-pg {max(args.workers)}w"
    header = ["metric", *columns, "ours÷floor", "ours vs best peer"]
    rows = [header]
    for metric, values in results.items():
        rows.append(
            [metric, *(_cell(values.get(c)) for c in columns), *_ratios(values, ours)]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows
    ]
    notes = [
        "",
        f"{args.count} buildings; times are medians in ms unless marked (s); load runs "
        f"{args.seconds} s each with 32 clients (wrk over loopback; pgbench for the "
        "floor). ours÷floor: ours divided by the database alone (times: lower is "
        "better; throughput: the share of the floor reached). ours vs best peer: "
        "how many times better than the best of tipg and vanilla pygeoapi.",
    ]
    return "\n".join(lines + notes)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, Load):
        return str(value)
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _ratios(values: dict[str, Any], ours: str) -> list[str]:
    mine, floor = values.get(ours), values.get("floor")
    peers = [values[p] for p in PEERS if p in values]
    if isinstance(mine, Load):
        to_floor = f"{mine.rps / floor.rps:.2f}" if isinstance(floor, Load) else "-"
        best = max((p.rps for p in peers if isinstance(p, Load)), default=None)
        return [to_floor, f"{mine.rps / best:.2f}x" if best else "-"]
    if isinstance(mine, float) and mine > 0:
        to_floor = f"{mine / floor:.2f}" if isinstance(floor, float) else "-"
        best = min((p for p in peers if isinstance(p, float)), default=None)
        return [to_floor, f"{best / mine:.2f}x" if best else "-"]
    return ["-", "-"]
