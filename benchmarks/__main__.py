"""`python -m benchmarks [--quick] [--only TEXT] [--list]`: time every registered operation."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import benchmarks
from benchmarks import REGISTRY, format_table, machine_info, run_operation


def _discover() -> None:
    """Import every module of the package, so operations registered there join the registry."""
    for mod in pkgutil.iter_modules(benchmarks.__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"benchmarks.{mod.name}")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Median timings of the simulator's operations against their targets.",
    )
    p.add_argument("--quick", action="store_true", help="fewer runs (the whole run < 1 minute)")
    p.add_argument("--only", metavar="TEXT", help="only operations whose name contains TEXT")
    p.add_argument("--list", action="store_true", help="list the operations and exit")
    args = p.parse_args(argv)

    _discover()
    ops = [op for op in REGISTRY if not args.only or args.only.lower() in op.name.lower()]
    skipped = [op for op in ops if args.quick and op.full_only]
    ops = [op for op in ops if op not in skipped] if not args.list else ops
    if args.list:
        for op in ops:
            print(f"{op.name}  (target: {op.target_ms or '–'} ms; {op.source})")
        return 0
    if not ops:
        why = "runs only without --quick" if skipped else "matches"
        print(f"no operation {why}: {args.only!r}", file=sys.stderr)
        return 2

    print(machine_info())
    print(f"mode: {'quick' if args.quick else 'full'}; time.perf_counter; median over the runs")
    print()
    results = []
    for op in ops:
        print(f"  timing: {op.name} ...", file=sys.stderr, flush=True)
        results.append(run_operation(op, quick=args.quick))
    print(format_table(results))
    for op in skipped:
        print(f"  not in --quick (run without it): {op.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
