"""Progress report: every file of Lua 5.4.8's official test suite under pylua.

    python tests/official_report.py [--timeout S] [--reference] [file.lua ...]

Prints one line per file: PASS/FAIL/TIME (timed out), the seconds taken, and for
failures the first line of stderr.  ``--reference`` runs the same files under the
Lua 5.4.8 reference instead.  The suite is fetched and cached as the tests do
(``oracle.fetch_testes``); nothing of it is copied into the repo.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import oracle  # noqa: E402


def outcome(result: oracle.Result) -> str:
    if result.timed_out:
        return "TIME"
    return "PASS" if result.returncode == 0 else "FAIL"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", help="test files (default: all)")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--reference", action="store_true",
                        help="run the Lua 5.4.8 reference instead of pylua")
    args = parser.parse_args(argv)
    testes = oracle.fetch_testes()
    names = args.files or sorted(p.name for p in testes.glob("*.lua"))
    interp = oracle.LUPA if args.reference else oracle.PYLUA
    passed = 0
    for name in names:
        start = time.monotonic()
        result = oracle.run_official(interp, testes, name, args.timeout)
        elapsed = time.monotonic() - start
        verdict = outcome(result)
        passed += verdict == "PASS"
        detail = "" if verdict == "PASS" else "  " + result.error_line()[:150]
        print(f"{verdict} {elapsed:7.1f}s  {name}{detail}", flush=True)
    print(f"{passed}/{len(names)} pass")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
