"""Run benchmark scenarios: `python -m bench [scenario ...]`; results go to bench/results/."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()
    from bench import catalog, imports, lighthouse, load, stamps, stats, text  # noqa: F401  (registers the scenarios)
    from bench.registry import SCENARIOS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenarios", nargs="*", help=f"scenarios to run (default all: {', '.join(SCENARIOS)})")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    for name in args.scenarios or list(SCENARIOS):
        if name not in SCENARIOS:
            parser.error(f"unknown scenario {name!r}; known: {', '.join(SCENARIOS)}")
        result = SCENARIOS[name]()
        (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
        table = result.pop("markdown", None) if isinstance(result, dict) else None
        print(f"## {name}")
        if table:
            print(table)
        else:
            for key, value in result.items():
                print(f"| {key} | {value:.4g} |" if isinstance(value, float) else f"| {key} | {value} |")


if __name__ == "__main__":
    main()
