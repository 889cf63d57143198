"""The io library (liolib.c).

A Lua file handle is a ``Userdata`` whose value is a ``FileHandle`` (luaL_Stream):
a Python binary stream plus the one byte of push-back that C's ``ungetc`` gives
``read("n")``, and the function that closes it (None once closed).  Regular files
are opened with Python's buffered binary I/O; ``io.stdout``/``io.stderr``/``io.stdin``
wrap the state's own streams (``L.stdout`` is where ``print`` writes, so the two
interleave).  Errors are reported as C reports them: ``nil, strerror(errno), errno``.
"""
from __future__ import annotations

import atexit
import errno as errnos
import io
import math
import os
import sys
import weakref

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    import subprocess
    from typing import Any, Callable, Optional

from ..errors import ArgError, LuaError
from ..lauxlib import check_any, check_integer, check_option, check_string, opt_integer, \
    opt_string, type_error
from ..number import str2number
from ..objects import Builtin, Userdata
from ..table import LuaTable

FILEHANDLE = "FILE*"            # registry key and __name of the metatable
IO_INPUT = "_IO_input"          # registry keys of the default files
IO_OUTPUT = "_IO_output"
MAXARGLINE = 250                # most formats 'lines' accepts
L_MAXLENNUM = 200               # longest numeral 'read("n")' accepts
EOF = -1

# C's fflush(NULL) and exit() reach every open stream: keep them all (weakly) here.
_open_handles: "weakref.WeakSet[FileHandle]" = weakref.WeakSet()


def c_string(s: str) -> bytes:
    """A Lua string as C library calls see it: bytes up to the first NUL."""
    return s.split("\0", 1)[0].encode("latin-1")


# ------------------------------------------------------------------ results

def fileresult(err: Optional[BaseException], fname: Optional[str] = None) -> tuple:
    """``luaL_fileresult``: ``true``, or ``nil, "[fname: ]strerror", errno``."""
    if err is None:
        return (True,)
    en = errno_of(err)
    msg = os.strerror(en) if en else "(no extra info)"
    if fname is not None:
        msg = f"{c_string(fname).decode('latin-1')}: {msg}"
    return (None, msg, en)


def errno_of(err: BaseException) -> int:
    """The errno C would have set for a Python I/O exception."""
    en = getattr(err, "errno", None)
    if en:
        return en
    if isinstance(err, io.UnsupportedOperation):
        return errnos.EBADF        # glibc's answer to reading a write-only stream & co
    if isinstance(err, (ValueError, OverflowError)):
        return errnos.EINVAL
    return 0


def execresult(returncode: int) -> tuple:
    """``luaL_execresult`` for a finished child: ``true|nil, "exit"|"signal", code``."""
    if returncode < 0:
        return (None, "signal", -returncode)
    return (True if returncode == 0 else None, "exit", returncode)


def flush_all() -> None:
    """``fflush(NULL)``: flush every open stream (before popen and at exit)."""
    for handle in list(_open_handles):
        if handle.closef is not None:
            try:
                handle.stream.flush()
            except (OSError, ValueError):
                pass


atexit.register(flush_all)


# ------------------------------------------------------------------ streams

class _DirectoryStream(io.RawIOBase):
    """What C's ``fopen(dir, "r")`` gives on Linux: a stream whose reads fail."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        raise IsADirectoryError(errnos.EISDIR, os.strerror(errnos.EISDIR))


class FileHandle:
    """``luaL_Stream``: a Python binary stream, one pushed-back byte (``ungetc``),
    and ``closef(L, ud) -> results`` (None once the handle is closed)."""

    __slots__ = ("stream", "closef", "pushback", "vbuf", "proc", "linked", "__weakref__")

    def __init__(self, stream: Any, closef: Callable, vbuf: str = "full") -> None:
        self.stream = stream
        self.closef: Optional[Callable] = closef
        self.pushback = b""
        self.vbuf = vbuf                      # setvbuf mode: "no", "full" or "line"
        self.proc: Optional[subprocess.Popen] = None
        self.linked: Optional[FileHandle] = None   # output flushed before reading
        _open_handles.add(self)

    # reading (each may raise OSError)
    def getc(self) -> int:
        if self.pushback:
            c = self.pushback[0]
            self.pushback = b""
            return c
        b = self.stream.read(1)
        return b[0] if b else EOF

    def ungetc(self, c: int) -> None:
        if c != EOF:
            self.pushback = bytes((c,))

    def read(self, n: int) -> bytes:
        """``fread``: up to n bytes, fewer only at end of file."""
        data, self.pushback = self.pushback, b""
        while len(data) < n:
            chunk = self.stream.read(n - len(data))
            if not chunk:
                break
            data += chunk
        return data

    def readline(self) -> bytes:
        data, self.pushback = self.pushback, b""
        if data == b"\n":
            return data
        return data + self.stream.readline()

    def readall(self) -> bytes:
        data, self.pushback = self.pushback, b""
        return data + (self.stream.read() or b"")

    # writing and positioning
    def write(self, data: bytes) -> None:
        if self.pushback:
            self.seek(0, 1)
        self.stream.write(data)
        if self.vbuf == "no" or (self.vbuf == "line" and b"\n" in data):
            self.stream.flush()

    def seek(self, offset: int, whence: int) -> int:
        if whence == 1:
            offset -= len(self.pushback)
        self.pushback = b""
        try:
            return self.stream.seek(offset, whence)
        except io.UnsupportedOperation:
            raise OSError(errnos.ESPIPE, os.strerror(errnos.ESPIPE)) from None


def _fopen(filename: str, mode: str) -> Any:
    """C's ``fopen`` on a checked mode (``[rwa]+?b*``): a buffered binary stream."""
    path = c_string(filename)
    plus = mode[1:2] == "+"
    pymode = mode[0] + "b" + ("+" if plus else "")
    try:
        stream = io.open(path, pymode)
    except IsADirectoryError:
        if pymode != "rb":
            raise
        return io.BufferedReader(_DirectoryStream())
    if pymode == "ab+":
        stream.seek(0)        # C reads an "a+" file from its start; writes append anyway
    return stream


def _valid_mode(mode: str) -> bool:
    """``l_checkmode``: does mode match ``[rwa]%+?b*``?"""
    if not mode or mode[0] not in "rwa":
        return False
    rest = mode[2:] if mode[1:2] == "+" else mode[1:]
    return rest.strip("b") == ""


# ------------------------------------------------------------------ handles

def _meta(L: Any) -> LuaTable:
    return L.registry.get_str(FILEHANDLE)


def _tohandle(L: Any, args: tuple) -> FileHandle:
    """``luaL_checkudata(L, 1, "FILE*")``."""
    ud = args[0] if args else None
    if type(ud) is Userdata and ud.meta is _meta(L):
        return ud.value
    raise type_error(1, FILEHANDLE, args)


def _tofile(L: Any, args: tuple) -> FileHandle:
    handle = _tohandle(L, args)
    if handle.closef is None:
        raise L.error("attempt to use a closed file")
    return handle


def _aux_close(L: Any, ud: Userdata) -> tuple:
    handle = ud.value
    closef, handle.closef = handle.closef, None
    return closef(L, ud)


def _fclose(L: Any, ud: Userdata) -> tuple:
    try:
        ud.value.stream.close()
    except OSError as err:
        return fileresult(err)
    return (True,)


def _pclose(L: Any, ud: Userdata) -> tuple:
    handle = ud.value
    try:
        handle.stream.close()
    except BrokenPipeError:
        pass                      # the child is gone; its status tells the story
    return execresult(handle.proc.wait())


def _noclose(L: Any, ud: Userdata) -> tuple:
    ud.value.closef = _noclose    # keep the standard file open
    return (None, "cannot close standard file")


def _newfile(L: Any, stream: Any, closef: Callable = _fclose, vbuf: str = "full") -> Userdata:
    return Userdata(FileHandle(stream, closef, vbuf), _meta(L))


def _opencheck(L: Any, filename: str, mode: str) -> Userdata:
    try:
        return _newfile(L, _fopen(filename, mode))
    except OSError as err:
        name = c_string(filename).decode("latin-1")
        raise L.error(f"cannot open file '{name}' ({os.strerror(errno_of(err))})") from None


def _getiofile(L: Any, key: str) -> Userdata:
    ud = L.registry.get_str(key)
    if ud.value.closef is None:
        raise L.error(f"default {key[len('_IO_'):]} file is closed")
    return ud


# ------------------------------------------------------------------ reading

class _NumeralReader:
    """The state of ``read_number`` (liolib's ``RN``): the look-ahead char and the
    prefix of a numeral read so far."""

    __slots__ = ("handle", "c", "buff")

    def __init__(self, handle: FileHandle) -> None:
        self.handle = handle
        self.buff: Optional[list] = []       # None once the numeral is too long
        self.c = handle.getc()

    def nextc(self) -> bool:
        if self.buff is None or len(self.buff) >= L_MAXLENNUM:
            self.buff = None
            return False
        self.buff.append(chr(self.c))
        self.c = self.handle.getc()
        return True

    def test2(self, pair: str) -> bool:
        c = self.c
        if c != EOF and (chr(c) == pair[0] or chr(c) == pair[1]):
            return self.nextc()
        return False

    def readdigits(self, hexa: bool) -> int:
        digits = "0123456789abcdefABCDEF" if hexa else "0123456789"
        count = 0
        while self.c != EOF and chr(self.c) in digits and self.nextc():
            count += 1
        return count


def _read_number(handle: FileHandle) -> Any:
    """``read_number``: the longest numeral prefix (at most 200 chars), converted
    like ``tonumber``; the first char after it is pushed back. None if invalid."""
    rn = _NumeralReader(handle)
    while rn.c != EOF and chr(rn.c) in " \t\n\v\f\r":
        rn.c = handle.getc()
    count = 0
    hexa = False
    rn.test2("-+")
    if rn.test2("00"):
        if rn.test2("xX"):
            hexa = True
        else:
            count = 1
    count += rn.readdigits(hexa)
    if rn.test2(".."):
        count += rn.readdigits(hexa)
    if count > 0 and rn.test2("pP" if hexa else "eE"):
        rn.test2("-+")
        rn.readdigits(False)
    handle.ungetc(rn.c)
    return str2number("".join(rn.buff)) if rn.buff else None


def _read_line(handle: FileHandle, chop: bool) -> tuple:
    line = handle.readline()
    if line.endswith(b"\n"):
        return (line[:-1] if chop else line).decode("latin-1"), True
    return line.decode("latin-1"), len(line) > 0


def _read_count(handle: FileHandle, n: int) -> tuple:
    if n == 0:                        # test_eof
        c = handle.getc()
        handle.ungetc(c)
        return "", c != EOF
    if n < 0:                         # (size_t)n: a buffer that cannot be allocated
        raise LuaError("not enough memory")
    try:
        data = handle.read(n)
    except (MemoryError, OverflowError):
        raise LuaError("not enough memory") from None
    return data.decode("latin-1"), len(data) > 0


def _read_format(handle: FileHandle, args: tuple, n: int) -> tuple:
    """One format of ``g_read`` (argument n): (value, success)."""
    fmt = args[n - 1]
    if type(fmt) is int or type(fmt) is float:
        return _read_count(handle, check_integer(args, n))
    p = check_string(args, n)
    if p.startswith("*"):
        p = p[1:]                     # compatibility with 5.1's "*l"
    kind = p[:1]
    if kind == "n":
        num = _read_number(handle)
        return num, num is not None
    if kind == "l" or kind == "L":
        return _read_line(handle, kind == "l")
    if kind == "a":
        return handle.readall().decode("latin-1"), True
    raise ArgError(n, "invalid format")


def _g_read(L: Any, handle: FileHandle, args: tuple, first: int) -> tuple:
    """``g_read``: read by the formats ``args[first-1:]``; nil replaces the first
    failing one, after which nothing more is read."""
    if handle.linked is not None:
        handle.linked.stream.flush()
    results = []
    try:
        if len(args) < first:
            value, success = _read_line(handle, True)
            results.append(value)
        else:
            success = True
            for n in range(first, len(args) + 1):
                value, success = _read_format(handle, args, n)
                results.append(value)
                if not success:
                    break
    except OSError as err:
        return fileresult(err)
    if not success:
        results[-1] = None
    return tuple(results)


def io_read(L: Any, *args: Any) -> tuple:
    return _g_read(L, _getiofile(L, IO_INPUT).value, args, 1)


def f_read(L: Any, *args: Any) -> tuple:
    return _g_read(L, _tofile(L, args), args, 2)


def _aux_lines(L: Any, args: tuple, toclose: bool) -> Builtin:
    """The iterator of ``lines`` (``io_readline``) over file ``args[0]`` reading
    with the formats ``args[1:]``."""
    if len(args) - 1 > MAXARGLINE:
        raise ArgError(MAXARGLINE + 2, "too many arguments")
    ud = args[0]
    frozen = tuple(args)

    def readline(L: Any, *ignored: Any) -> tuple:
        handle = ud.value
        if handle.closef is None:
            raise L.error("file is already closed")
        results = _g_read(L, handle, frozen, 2)
        if results[0] is not None:
            return results
        if len(results) > 1:          # an error: its message is the second result
            raise L.error(results[1])
        if toclose:
            _aux_close(L, ud)
        return ()

    return Builtin(readline)


def f_lines(L: Any, *args: Any) -> tuple:
    _tofile(L, args)
    return (_aux_lines(L, args, False),)


def io_lines(L: Any, *args: Any) -> tuple:
    if not args or args[0] is None:
        args = (L.registry.get_str(IO_INPUT),) + args[1:]
        _tofile(L, args)
        return (_aux_lines(L, args, False),)
    ud = _opencheck(L, check_string(args, 1), "r")
    return (_aux_lines(L, (ud,) + args[1:], True), None, None, ud)


# ------------------------------------------------------------------ writing

def format_number(v: Any) -> str:
    """A number as ``fprintf`` with LUA_INTEGER_FMT / LUA_NUMBER_FMT ("%.14g") writes it."""
    if type(v) is int:
        return str(v)
    if v != v:                        # printf shows the sign of a NaN
        return "-nan" if math.copysign(1.0, v) < 0 else "nan"
    return "%.14g" % v


def _g_write(L: Any, ud: Userdata, args: tuple, first: int) -> tuple:
    handle = ud.value
    failure: Optional[BaseException] = None
    for n in range(first, len(args) + 1):
        v = args[n - 1]
        isnum = type(v) is int or type(v) is float
        data = format_number(v) if isnum else check_string(args, n)
        if failure is None or isnum:   # C skips fwrite after a failure, not fprintf
            try:
                handle.write(data.encode("latin-1"))
            except OSError as err:
                failure = failure or err
    return (ud,) if failure is None else fileresult(failure)


def io_write(L: Any, *args: Any) -> tuple:
    return _g_write(L, _getiofile(L, IO_OUTPUT), args, 1)


def f_write(L: Any, *args: Any) -> tuple:
    _tofile(L, args)
    return _g_write(L, args[0], args, 2)


# ------------------------------------------------------------------ other methods

def f_seek(L: Any, *args: Any) -> tuple:
    handle = _tofile(L, args)
    whence = check_option(args, 2, "cur", ["set", "cur", "end"])
    offset = opt_integer(args, 3, 0)
    try:
        return (handle.seek(offset, whence),)
    except (OSError, ValueError, OverflowError) as err:
        return fileresult(err)


def f_setvbuf(L: Any, *args: Any) -> tuple:
    handle = _tofile(L, args)
    handle.vbuf = ["no", "full", "line"][check_option(args, 2, None, ["no", "full", "line"])]
    opt_integer(args, 3, 0)
    return _flush(handle)


def _flush(handle: FileHandle) -> tuple:
    try:
        handle.stream.flush()
    except OSError as err:
        return fileresult(err)
    return (True,)


def f_flush(L: Any, *args: Any) -> tuple:
    return _flush(_tofile(L, args))


def io_flush(L: Any, *args: Any) -> tuple:
    return _flush(_getiofile(L, IO_OUTPUT).value)


def f_close(L: Any, *args: Any) -> tuple:
    _tofile(L, args)
    return _aux_close(L, args[0])


def io_close(L: Any, *args: Any) -> tuple:
    if not args:
        args = (L.registry.get_str(IO_OUTPUT),)
    return f_close(L, *args)


def f_gc(L: Any, *args: Any) -> tuple:
    if _tohandle(L, args).closef is not None:
        _aux_close(L, args[0])
    return ()


def f_tostring(L: Any, *args: Any) -> tuple:
    handle = _tohandle(L, args)
    if handle.closef is None:
        return ("file (closed)",)
    return (f"file (0x{id(handle.stream):x})",)


# ------------------------------------------------------------------ io functions

def io_open(L: Any, *args: Any) -> tuple:
    filename = check_string(args, 1)
    mode = opt_string(args, 2, "r")
    if not _valid_mode(mode):
        raise ArgError(2, "invalid mode")
    try:
        return (_newfile(L, _fopen(filename, mode)),)
    except OSError as err:
        return fileresult(err, filename)


def io_popen(L: Any, *args: Any) -> tuple:
    prog = check_string(args, 1)
    mode = opt_string(args, 2, "r")
    if mode != "r" and mode != "w":
        raise ArgError(2, "invalid mode")
    flush_all()
    import subprocess       # here, not at start-up: it costs ~4 ms to import
    pipe = subprocess.PIPE
    try:
        proc = subprocess.Popen(c_string(prog), shell=True,
                                stdout=pipe if mode == "r" else None,
                                stdin=pipe if mode == "w" else None)
    except OSError as err:
        return fileresult(err, prog)
    ud = _newfile(L, proc.stdout if mode == "r" else proc.stdin, _pclose)
    ud.value.proc = proc
    return (ud,)


def io_tmpfile(L: Any, *args: Any) -> tuple:
    import tempfile         # here, not at start-up: it costs ~4 ms to import
    try:
        return (_newfile(L, tempfile.TemporaryFile("w+b")),)
    except OSError as err:
        return fileresult(err)


def _g_iofile(L: Any, args: tuple, key: str, mode: str) -> tuple:
    if args and args[0] is not None:
        v = args[0]
        if type(v) in (str, int, float):
            ud = _opencheck(L, check_string(args, 1), mode)
        else:
            _tofile(L, args)
            ud = v
        L.registry.set_str(key, ud)
    return (L.registry.get_str(key),)


def io_input(L: Any, *args: Any) -> tuple:
    return _g_iofile(L, args, IO_INPUT, "r")


def io_output(L: Any, *args: Any) -> tuple:
    return _g_iofile(L, args, IO_OUTPUT, "w")


def io_type(L: Any, *args: Any) -> tuple:
    v = check_any(args, 1)
    if type(v) is not Userdata or v.meta is not _meta(L):
        return (None,)
    return ("closed file" if v.value.closef is None else "file",)


# ------------------------------------------------------------------ opening

_IOLIB = {
    "close": io_close, "flush": io_flush, "input": io_input, "lines": io_lines,
    "open": io_open, "output": io_output, "popen": io_popen, "read": io_read,
    "tmpfile": io_tmpfile, "type": io_type, "write": io_write,
}

_METHODS = {
    "read": f_read, "write": f_write, "lines": f_lines, "flush": f_flush,
    "seek": f_seek, "close": f_close, "setvbuf": f_setvbuf,
}


def _createmeta(L: Any) -> None:
    meta = LuaTable()
    methods = LuaTable()
    for name, fn in _METHODS.items():
        methods.set_str(name, Builtin(fn))
    meta.set_str("__name", FILEHANDLE)
    meta.set_str("__index", methods)
    meta.set_str("__gc", Builtin(f_gc))
    meta.set_str("__close", Builtin(f_gc))
    meta.set_str("__tostring", Builtin(f_tostring))
    L.registry.set_str(FILEHANDLE, meta)


def _isatty(stream: Any) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def open(L: Any) -> LuaTable:
    """``luaopen_io``: the io table; its standard files wrap L.stdin/stdout/stderr."""
    lib = LuaTable()
    for name, fn in _IOLIB.items():
        lib.set_str(name, Builtin(fn, "io." + name))
    _createmeta(L)
    stdin = getattr(L, "stdin", None) or sys.stdin.buffer
    stdout = getattr(L, "stdout", None) or sys.stdout.buffer
    stderr = getattr(L, "stderr", None) or sys.stderr.buffer
    files = {
        "stdin": _newfile(L, stdin, _noclose),
        # C's stdout is line buffered on a terminal, stderr never buffered
        "stdout": _newfile(L, stdout, _noclose, "line" if _isatty(stdout) else "full"),
        "stderr": _newfile(L, stderr, _noclose, "no"),
    }
    if _isatty(stdin):                # glibc flushes terminal output before reading one
        files["stdin"].value.linked = files["stdout"].value
    for name, ud in files.items():
        lib.set_str(name, ud)
    L.registry.set_str(IO_INPUT, files["stdin"])
    L.registry.set_str(IO_OUTPUT, files["stdout"])
    return lib
