"""Differential tests of the os library against lua5.4 (harness: test_iolib)."""
from __future__ import annotations

import io
import os
import re
import time

import pytest

from pylua.errors import ArgError, LuaError
from pylua.lib import oslib
from pylua.table import LuaTable
from test_iolib import FakeState, Var, check

C99_SPECS = ("aAbBcCdDeFgGhHIjmMnprRStTuUVwWxXyYzZ%"
             "|Ec|EC|Ex|EX|Ey|EY|Od|Oe|OH|OI|Om|OM|OS|Ou|OU|OV|Ow|OW|Oy")
ALL_SPECS = [s for s in C99_SPECS.split("|")[0]] + C99_SPECS.split("|")[1:]
MOMENTS = [0, 951782400 + 3600 * 13 + 61, -1234567890, 1700000000, 4102444800 + 86399]
ZONES = ["UTC0", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]


@pytest.mark.parametrize("zone", ZONES)
def test_date_every_conversion(tmp_path, zone):
    steps = []
    for t in MOMENTS:
        steps.append((None, "os.date", " ".join("%" + s for s in ALL_SPECS) + " end", t))
        steps.append((None, "os.date", "!%c|%z|%Z|%j|%U|%V|%G", t))
        steps.append((None, "os.date", "*t", t))
        steps.append((None, "os.date", "!*t", t))
        steps.append((None, "os.date", None, t))
    check(steps, tmp_path, env={"TZ": zone})


def test_date_formats_and_errors(tmp_path):
    out = check([
        (None, "os.date", "plain text \255 100%%", 5),
        (None, "os.date", "", 5),
        (None, "os.date", "!", 5),
        (None, "os.date", "%Ez", 5),
        (None, "os.date", "%Ez and more", 5),
        (None, "os.date", "%", 5),
        (None, "os.date", "abc %", 5),
        (None, "os.date", "%E", 5),
        (None, "os.date", "%O", 5),
        (None, "os.date", "%Oa", 5),
        (None, "os.date", "%5d", 5),
        (None, "os.date", "%#c", 5),
        (None, "os.date", "%Y%", 5),
        (None, "os.date", "%Y", 1.5),
        (None, "os.date", "%Y", "86400"),
        (None, "os.date", "%Y", "x"),
        (None, "os.date", "%Y", 2**60),
        (None, "os.date", "%Y", -2**60),
        (None, "os.date", {}),
        (None, "os.date", 12, 0),
        (None, "os.date", "*t!", 0),
        (None, "os.date", "!*t ", 0),
    ], tmp_path, env={"TZ": "Europe/Paris"})
    assert "invalid conversion specifier '%Ez and more'" in out


def test_time_normalises_tables(tmp_path):
    tables = [
        {"year": 2020, "month": 13, "day": 40, "hour": 25, "min": 61, "sec": 61},
        {"year": 2021, "month": 3, "day": 28, "hour": 2, "min": 30},
        {"year": 2021, "month": 3, "day": 28, "hour": 2, "min": 30, "isdst": True},
        {"year": 2021, "month": 10, "day": 31, "hour": 2, "min": 30, "isdst": False},
        {"year": 2000, "month": 0, "day": 0},
        {"year": 1960, "month": -30, "day": 400, "sec": -100000},
        {"year": "2001", "month": 2.0, "day": "0x1d"},
        {"year": 2001, "month": 2, "day": 3, "wday": 9, "yday": 400},
        {"year": 1970, "month": 1, "day": 1, "hour": 0},
        {"year": 2**31 - 1 + 1900 - 5000, "month": 1, "day": 1},
    ]
    steps = []
    for i, t in enumerate(tables):
        steps += [(f"T{i}", "=", t), (None, "os.time", Var(f"T{i}")), (None, "=", Var(f"T{i}"))]
    check(steps, tmp_path, env={"TZ": "Europe/Berlin"})


def test_time_field_errors(tmp_path):
    check([
        (None, "os.time", {"year": 2020, "month": 1}),
        (None, "os.time", {"month": 1, "day": 1}),
        (None, "os.time", {"year": 2020, "day": 1}),
        (None, "os.time", {"year": 2020, "month": 1, "day": 1.5}),
        (None, "os.time", {"year": 2020, "month": "x", "day": 1}),
        (None, "os.time", {"year": 2020, "month": 1, "day": 1, "hour": True}),
        (None, "os.time", {"year": 2**31 - 1 + 1900, "month": 1, "day": 1}),
        (None, "os.time", {"year": 2**31 + 1900, "month": 1, "day": 1}),
        (None, "os.time", {"year": -2**31 + 1899, "month": 1, "day": 1}),
        (None, "os.time", {"year": 2020, "month": 2**31 + 1, "day": 1}),
        (None, "os.time", {"year": 2020, "month": 2**31, "day": 1}),
        (None, "os.time", {"year": 2020, "month": -2**31 + 1, "day": 1}),
        (None, "os.time", {"year": 2**31 - 1 + 1900, "month": 12, "day": 1}),
        (None, "os.time", {"year": 2020, "month": 1, "day": 2**31}),
        (None, "os.time", {"year": 2020, "month": 1, "day": -2**31}),
        (None, "os.time", {"year": 2020, "month": 1, "day": 1, "sec": -2**31 - 1}),
        (None, "os.time", {"year": 1969, "month": 12, "day": 31, "hour": 23, "min": 59,
                           "sec": 59}),
        (None, "os.time", "2020"),
        (None, "os.time", 0),
    ], tmp_path, env={"TZ": "UTC0"})


def test_difftime_getenv_setlocale(tmp_path):
    check([
        (None, "os.difftime", 10, 3),
        (None, "os.difftime", 2**62, -2**62),
        (None, "os.difftime", "5", 1.0),
        (None, "os.difftime", 1),
        (None, "os.difftime", 1.5, 1),
        (None, "os.difftime", {}, 1),
        (None, "os.getenv", "PYLUA_TEST_VAR"),
        (None, "os.getenv", "PYLUA_TEST_UNSET_VAR"),
        (None, "os.getenv", 12),
        (None, "os.getenv"),
        (None, "os.setlocale"),
        (None, "os.setlocale", None, "numeric"),
        (None, "os.setlocale", "C"),
        (None, "os.setlocale", "POSIX", "time"),
        (None, "os.setlocale", "xx_YY"),
        (None, "os.setlocale", "C", "bogus"),
        (None, "os.setlocale", {}),
        (None, "os.setlocale"),
    ], tmp_path, env={"PYLUA_TEST_VAR": "value \xe9=1"})


def test_remove_rename_execute(tmp_path):
    files = {"a.txt": b"A", "b.txt": b"B"}
    check([
        (None, "os.remove", "missing.txt"),
        (None, "os.remove", "a.txt"),
        (None, "os.remove", "a.txt"),
        (None, "os.execute", "mkdir d && touch d/x"),
        (None, "os.remove", "d"),
        (None, "os.execute", "rm d/x"),
        (None, "os.remove", "d"),
        (None, "os.remove", {}),
        (None, "os.rename", "missing.txt", "c.txt"),
        (None, "os.rename", "b.txt", "c.txt"),
        (None, "os.rename", "c.txt"),
        (None, "os.rename", "c.txt", "nodir/c.txt"),
        (None, "os.execute"),
        (None, "os.execute", "exit 7"),
        (None, "os.execute", "true"),
        (None, "os.execute", "kill -15 $$"),
    ], tmp_path, files)


def test_clock_time_tmpname():
    L = FakeState()
    (start,) = oslib.os_clock(L)
    assert type(start) is float and 0 <= start
    (now,) = oslib.os_time(L)
    assert type(now) is int and abs(now - time.time()) < 2
    (name,) = oslib.os_tmpname(L)
    assert re.fullmatch(r"/tmp/lua_[A-Za-z0-9]{6}", name)
    assert os.path.getsize(name) == 0 and oct(os.stat(name).st_mode & 0o777) == "0o600"
    os.remove(name)
    # the C library answers "" with the environment's locale; pylua only has C
    assert oslib.os_setlocale(L, "") == ("C",)


@pytest.mark.parametrize("args, code", [
    ((), 0), ((True,), 0), ((False,), 1), ((3,), 3), ((2**32 + 5,), 5), ((-1,), -1),
    ((None, True), 0), ((7.0,), 7),
])
def test_exit_status_and_flush(args, code):
    L = FakeState()
    L.stdout = io.BufferedWriter(io.BytesIO())
    L.stdout.write(b"pending")
    with pytest.raises(SystemExit) as e:
        oslib.os_exit(L, *args)
    assert e.value.code == code
    assert L.stdout.raw.getvalue() == b"pending"
    assert L.closed == (args[1:] == (True,))      # close = true closes the state


def test_exit_bad_status():
    with pytest.raises(ArgError) as e:
        oslib.os_exit(FakeState(), "x")
    assert e.value.msg == "number expected, got string"


def test_time_uses_metamethods():
    """Date tables are read and written with lua_getfield/lua_setfield."""
    class Recording(FakeState):
        def __init__(self):
            super().__init__()
            self.log = []

        def index(self, obj, key):
            self.log.append(("get", key))
            return {"year": 2000, "month": 1, "day": 1}.get(key)

        def setindex(self, obj, key, value):
            self.log.append(("set", key, value))

    L = Recording()
    (t,) = oslib.os_time(L, LuaTable())
    assert [e[1] for e in L.log] == ["year", "month", "day", "hour", "min", "sec", "isdst",
                                    "year", "month", "day", "hour", "min", "sec", "yday",
                                    "wday", "isdst"]
    assert ("set", "hour", 12) in L.log
    with pytest.raises(LuaError):
        oslib.os_date(L, "%Y", 2**62)


def test_date_far_from_now(tmp_path):
    moments = [-2**40, 2**40, -62135596800, -62135596801, 253402300800,
               -67768040609740800, -67768040609740801]
    check([(None, "os.date", "%c|%Y|%C|%G|%g|%y|%j|%U|%V|%x|%D|%F|%Ey|%EY|%EC", t)
           for t in moments] +
          [(None, "os.date", "!*t", t) for t in (-2**40, 67768036191676799)],
          tmp_path, env={"TZ": "UTC0"})

from test_iolib import check_script  # noqa: E402


SCRIPT_DATES = r'''
print(os.time({year=2000, month=1, day=1, hour=0}), os.date("!%c", 86400 * 365))
local t = os.date("*t", 1e9)
print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.wday, t.yday, t.isdst)
local d = {year=2021, month=3, day=28, hour=2, min=30, sec=-1}
print(os.time(d), d.hour, d.min, d.sec, d.isdst, d.yday, d.wday)
print(os.date("%A %d %B %Y %H:%M:%S %Z %z %j %U %W %V %G", 1616895000))
print(os.difftime(os.time(), os.time() - 10) >= 10, math.type(os.clock()))
print(os.getenv("PYLUA_SCRIPT_VAR"), os.getenv("PYLUA_UNSET_VAR"))
print(pcall(function() return os.date("%Q") end))
print(pcall(function() return os.time({year=2020, month=1}) end))
print(select("#", os.remove("missing")), os.remove("missing"))
print(os.rename("missing", "other"))
print(os.execute("exit 4"))
print(os.date("%Ez"))
'''


def test_script_dates(tmp_path):
    code, out, err, files = check_script(SCRIPT_DATES, tmp_path,
                                         env={"TZ": "Europe/Berlin",
                                              "PYLUA_SCRIPT_VAR": "set"})
    assert code == 1 and "invalid conversion specifier '%Ez'" in err


@pytest.mark.parametrize("status, code", [
    ("", 0), ("true", 0), ("false", 1), ("3", 3), ("2^32 + 7", 7), ("-1", 255),
    ("0, true", 0),
])
def test_script_exit_flushes(tmp_path, status, code):
    source = ('local f = io.open("kept.txt", "w") f:write("unflushed") '
              f'io.write("pending output") os.exit({status})')
    result = check_script(source, tmp_path)
    assert result[0] == code and result[1] == "pending output"
    assert result[3]["kept.txt"] == b"unflushed"


def test_script_end_closes_files(tmp_path):
    result = check_script('local f = io.open("kept.txt", "w") f:write("at exit") '
                          'io.output("out.txt") io.write("default output")', tmp_path)
    assert result[3] == {"kept.txt": b"at exit", "out.txt": b"default output",
                         "main.lua": result[3]["main.lua"]}


def test_script_exit_inside_pcall(tmp_path):
    result = check_script('io.write("before") print(pcall(os.exit, 4)) print("never")', tmp_path)
    assert result[:2] == (4, "before")
