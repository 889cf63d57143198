"""Side-by-side benchmarks: each Lua program runs under lua5.4 and under pylua.

What is measured, per program and interpreter: the wall time of the whole
process (start-up included, best of --repeat runs) and the peak resident set
size of that process (GNU time's %M, in KB).  Both interpreters must print the same checksum line; a mismatch is an
error.  See README.md.
"""
from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LUA = "lua5.4"
TIME = "/usr/bin/time"  # GNU time, for the peak RSS (%M)

# name -> (small size, default size); the size is the program's arg[1]. Default sizes
# take lua5.4 about 0.02-0.4 s, so that start-up (measured on its own) weighs little.
PROGRAMS: dict[str, tuple[int, int]] = {
    "fib": (18, 30),
    "calls": (20000, 2000000),
    "loops": (20000, 2000000),
    "closures": (10000, 600000),
    "oop": (5000, 600000),
    "binary_trees": (6, 14),
    "nbody": (200, 50000),
    "spectral_norm": (20, 250),
    "fannkuch": (6, 8),
    "mandelbrot": (24, 400),
    "string_build": (2000, 100000),
    "string_lib": (300, 20000),
    "tables": (2000, 100000),
    "coro_pingpong": (5000, 500000),
    "coro_many": (2000, 100000),
}

# pylua modes: "pure" runs every module from its .py source; "compiled" runs the
# Cython build (setup.py), which check_compiled_build makes sure is there
MODES: dict[str, dict[str, str]] = {"pure": {"PYLUA_PURE": "1"}, "compiled": {}}


@dataclass
class Run:
    output: str
    seconds: float
    max_rss_kb: int
    status: int


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> Run:
    """Run cmd to completion under GNU time: wall time and the child's peak RSS.

    GNU time's own footprint before it execs the command is about 1 MB, below
    any interpreter's; a Python parent's os.wait4 would instead report the
    forked Python image's RSS, kept across exec by Linux."""
    with tempfile.NamedTemporaryFile("r") as rss:
        start = time.perf_counter()
        proc = subprocess.run([TIME, "-f", "%M", "-o", rss.name, *cmd], capture_output=True,
                              env=env, text=True, encoding="latin-1")
        seconds = time.perf_counter() - start
        max_rss_kb = int(rss.read().split()[-1])
    return Run(proc.stdout + proc.stderr, seconds, max_rss_kb, proc.returncode)


def best_of(cmd: list[str], repeat: int, env: dict[str, str] | None = None) -> Run:
    """Fastest of `repeat` runs (peak RSS is the largest seen)."""
    runs = [run_process(cmd, env) for _ in range(repeat)]
    best = min(runs, key=lambda r: r.seconds)
    return Run(best.output, best.seconds, max(r.max_rss_kb for r in runs),
               next((r.status for r in runs if r.status), 0))


def pylua_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pylua", *args]


def mode_env(mode: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYLUA_PURE"}
    env.update(MODES[mode])
    return env


def check_compiled_build() -> None:
    """Exit with a message unless the compiled mode really runs the compiled VM."""
    code = "import pylua; print(' '.join(pylua.compiled_modules()))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=mode_env("compiled"))
    if run.returncode != 0 or "pylua.vm" not in run.stdout.split():
        raise SystemExit(f"python -m benchmarks: the compiled mode would run the pure-Python VM\n"
                         f"{run.stderr}Build the compiled modules first (needs a C compiler):"
                         f" pip install -e .  (or measure only --modes pure)")


def program_commands(name: str, size: int) -> tuple[list[str], list[str]]:
    """(lua5.4 command, pylua command) for one program at one size."""
    path = str(HERE / f"{name}.lua")
    return [LUA, path, str(size)], pylua_command(path, str(size))


@dataclass
class Result:
    name: str
    size: int
    lua: Run
    pylua: dict[str, Run]

    def mismatches(self) -> list[str]:
        errors = []
        if self.lua.status != 0:
            errors.append(f"lua5.4 exited with {self.lua.status}: {self.lua.output.strip()}")
        for mode, run in self.pylua.items():
            if run.status != 0 or run.output != self.lua.output:
                errors.append(f"pylua ({mode}) exit {run.status}, output {run.output.strip()!r}"
                              f" != lua5.4 output {self.lua.output.strip()!r}")
        return errors


def run_benchmark(name: str, size: int, repeat: int, modes: list[str]) -> Result:
    lua_cmd, pylua_cmd = program_commands(name, size)
    lua = best_of(lua_cmd, repeat)
    return Result(name, size, lua, {m: best_of(pylua_cmd, repeat, mode_env(m)) for m in modes})


def generated_source(lines: int = 10000) -> str:
    """A syntactically varied Lua chunk of exactly `lines` lines (10 per function)."""
    body = """-- generated function {i}
function f{i}(a, b, ...)
  local t = {{a, b, x = a * 2, ["k{i}"] = "s{i}", ...}}
  for j = 1, b do
    if j % 2 == 0 then t[#t + 1] = j .. "x" elseif a > j then a = a - 1 else break end
  end
  while a > 0 and not t.stop do a = a // 2; t.n = (t.n or 0) + 1 end
  local s = string.format("%d:%s", a, tostring(b)) .. (t.k{i} or "")
  return function(c) return t[c] or s, #t + a end, s
end
"""
    return "".join(body.format(i=i) for i in range(lines // 10))


def measure_compile(path: str) -> None:
    """In this process: parse+compile the file (best of 3) and print lines/s."""
    from pylua.compiler import compile_chunk
    from pylua.parser import parse
    compile_chunk(parse("local x = 1", "=warmup"))  # loads the parser tables
    with open(path, encoding="latin-1") as f:
        source = f.read()
    best = math.inf
    for _ in range(3):
        start = time.perf_counter()
        compile_chunk(parse(source, "@" + path))
        best = min(best, time.perf_counter() - start)
    print(f"{source.count(chr(10)) / best:.0f}")


HOST_CALLS = 100_000
CALL_LOOPS = {   # what one iteration calls: a Lua function, a host function, an async one
    "Lua function": "local function f() end for _ = 1, n do f() end",
    "plain host function": "for _ = 1, n do noop() end",
    "async host function (parks and resumes)": "for _ = 1, n do async_noop() end",
}


def measure_host_calls(n: int = HOST_CALLS) -> None:
    """In this process: microseconds per call of each loop in CALL_LOOPS, ``n``
    iterations (best of 3), the loop's own cost included; prints them as JSON."""
    import json
    from pylua import scheduler
    from pylua.objects import Builtin
    from pylua.state import LuaState

    async def async_noop(L):
        return ()

    L = LuaState()
    L.globals.set_str("noop", Builtin(lambda L: (), "noop"))
    L.globals.set_str("async_noop", Builtin(async_noop, "async_noop"))
    per_call = {}
    for what, body in CALL_LOOPS.items():
        f = L.load(f"local n = ... {body}", "=loop")
        best = math.inf
        for _ in range(3):
            start = time.perf_counter()
            scheduler.run(L, f, (n,))
            best = min(best, time.perf_counter() - start)
        per_call[what] = best / n * 1e6
    print(json.dumps(per_call))


def host_calls(modes: list[str]) -> list[str]:
    """Report lines: the cost of a call that parks the Lua thread, beside plain calls."""
    import json
    lines = []
    for mode in modes:
        run = run_process([sys.executable, "-c", "from benchmarks import measure_host_calls;"
                           " measure_host_calls()"], mode_env(mode))
        if run.status != 0:
            raise SystemExit(f"host call measurement failed:\n{run.output}")
        per_call = json.loads(run.output)
        lines.append(f"calls (pylua {mode}, loops of {HOST_CALLS:,} in-process, best of 3, per call): "
                     + ", ".join(f"{what} {us:.2f} us" for what, us in per_call.items()))
    return lines


def startup_and_compile(repeat: int, modes: list[str]) -> list[str]:
    """Report lines: start-up time of print("hi") and parse+compile speed."""
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        hello = Path(tmp, "hello.lua")
        hello.write_text('print("hi")\n')
        lua = best_of([LUA, str(hello)], max(repeat, 5))
        for mode in modes:
            run = best_of(pylua_command(str(hello)), max(repeat, 5), mode_env(mode))
            lines.append(f"start-up, print(\"hi\"): pylua ({mode}) {run.seconds * 1000:.0f} ms,"
                         f" {run.max_rss_kb / 1024:.1f} MB;"
                         f" lua5.4 {lua.seconds * 1000:.1f} ms, {lua.max_rss_kb / 1024:.1f} MB")
        big = Path(tmp, "generated.lua")
        big.write_text(generated_source())
        for mode in modes:
            code = f"from benchmarks import measure_compile; measure_compile({str(big)!r})"
            run = run_process([sys.executable, "-c", code], mode_env(mode))
            if run.status != 0:
                raise SystemExit(f"parse+compile measurement failed:\n{run.output}")
            lines.append(f"parse+compile (pylua {mode}, 10 000-line generated file,"
                         f" in-process, best of 3): {int(run.output):,} lines/s")
    return lines


def format_table(results: list[Result], modes: list[str], pending: list[str]) -> str:
    header = ["program", "size", "lua5.4 s"]
    for mode in modes + pending:
        header += [f"pylua {mode} s", f"ratio {mode}"]
    header += ["lua5.4 MB"] + [f"pylua {m} MB" for m in modes + pending]
    rows = [header]
    ratios: dict[str, list[float]] = {m: [] for m in modes}
    for r in results:
        wrong = bool(r.mismatches())  # shown, but kept out of the mean
        row = [r.name + (" MISMATCH" if wrong else ""), str(r.size), f"{r.lua.seconds:.3f}"]
        for mode in modes:
            ratio = r.pylua[mode].seconds / r.lua.seconds
            if not wrong:
                ratios[mode].append(ratio)
            row += [f"{r.pylua[mode].seconds:.3f}", f"{ratio:.0f}x"]
        row += ["pending", "pending"] * len(pending)
        row += [f"{r.lua.max_rss_kb / 1024:.1f}"]
        row += [f"{r.pylua[m].max_rss_kb / 1024:.1f}" for m in modes] + ["pending"] * len(pending)
        rows.append(row)
    geo = ["geometric mean", "", ""]
    for mode in modes:
        logs = [math.log(ratio) for ratio in ratios[mode]]
        geo += ["", f"{math.exp(sum(logs) / len(logs)):.1f}x" if logs else "-"]
    rows.append(geo + ["", "pending"] * len(pending) + [""] * (1 + len(modes) + len(pending)))
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(len(header))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def write_bytecode() -> None:
    """Compile pylua's Python modules to .pyc first, as an installed package has
    them: with PYTHONDONTWRITEBYTECODE set, every run would compile them again."""
    import compileall
    import pylua
    compileall.compile_dir(os.path.dirname(pylua.__file__), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help=f"programs to run (default all): {', '.join(PROGRAMS)}")
    parser.add_argument("--size", choices=["small", "default"], default="default")
    parser.add_argument("--repeat", type=int, default=1, help="runs per program; the fastest counts")
    parser.add_argument("--modes", default="pure,compiled",
                        help="comma-separated pylua modes among pure,compiled (default: both;"
                             " a mode left out is shown as pending)")
    parser.add_argument("--no-startup", action="store_true",
                        help="skip the start-up and parse+compile measurements")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in PROGRAMS]
    modes = args.modes.split(",")
    if unknown or any(m not in MODES for m in modes):
        parser.error(f"unknown program or mode: {', '.join(unknown + [m for m in modes if m not in MODES])}")
    pending = [m for m in MODES if m not in modes]
    write_bytecode()
    if "compiled" in modes:
        check_compiled_build()
    index = 0 if args.size == "small" else 1
    results, failed = [], False
    for name in args.names or list(PROGRAMS):
        result = run_benchmark(name, PROGRAMS[name][index], args.repeat, modes)
        for error in result.mismatches():
            print(f"CHECKSUM MISMATCH in {name}: {error}", file=sys.stderr)
            failed = True
        results.append(result)
        print(f"{name}: lua5.4 {result.lua.seconds:.3f} s, "
              + ", ".join(f"pylua {m} {r.seconds:.3f} s" for m, r in result.pylua.items()),
              file=sys.stderr, flush=True)
    print(format_table(results, modes, pending), flush=True)
    if not args.no_startup:
        print()
        for line in startup_and_compile(args.repeat, modes) + host_calls(modes):
            print(line)
    return 1 if failed else 0
