"""Every benchmark program prints the same checksum under pylua as under lua5.4.

Correctness only, at the small sizes; timings are never asserted. pylua runs in the
mode of the test run (tests/run.sh runs the suite compiled, then with PYLUA_PURE=1)."""
import json
import sys

import pytest

from benchmarks import CALL_LOOPS, PROGRAMS, generated_source, program_commands, run_process


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_checksum_matches_lua(name):
    small, _ = PROGRAMS[name]
    lua_cmd, pylua_cmd = program_commands(name, small)
    lua = run_process(lua_cmd)
    pylua = run_process(pylua_cmd)
    assert lua.status == 0, lua.output
    assert lua.output.startswith(name + "\t")
    assert (pylua.status, pylua.output) == (0, lua.output)


def test_generated_compile_input_has_10000_lines(tmp_path):
    source = generated_source()
    assert source.count("\n") == 10000
    path = tmp_path / "generated.lua"
    path.write_text(source)
    checked = run_process(["luac5.4", "-p", str(path)])
    assert (checked.status, checked.output) == (0, "")


def test_host_call_measurement_reports_each_kind_of_call():
    run = run_process([sys.executable, "-c",
                       "from benchmarks import measure_host_calls; measure_host_calls(500)"])
    assert run.status == 0, run.output
    per_call = json.loads(run.output)
    assert list(per_call) == list(CALL_LOOPS)
    assert all(us > 0 for us in per_call.values())
