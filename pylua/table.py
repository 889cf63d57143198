"""Lua tables (ltable.c): an array part and a hash part.

Keys are normalised as Lua does: a float with an integral value is stored as the
integer (``t[1.0]`` is ``t[1]``), NaN and nil are refused. Python's ``True == 1``
would make ``t[true]`` and ``t[1]`` collide in a dict, so booleans are stored under
two private sentinel keys.

Invariants that keep ``#t`` O(1) and a valid border:
* ``arr[i]`` holds ``t[i + 1]``; ``arr`` never ends with None;
* the hash part never holds the key ``len(arr) + 1``.
Assigning nil to a hash key keeps the key with value None (a tombstone), so a
traversal with ``next`` may clear fields as Lua allows; tombstones are purged when a
new key needs room.
"""
from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:      # annotations only: typing costs ~3 ms at start-up
    from typing import Any, Optional


TWO63 = 9223372036854775808.0    # floats in [-2^63, 2^63) with integral values are integer keys

class _BoolKey:
    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return f"<key {self.value}>"


TRUE_KEY = _BoolKey(True)
FALSE_KEY = _BoolKey(False)


# Slots added to tables, in the whole process: limits.py charges their growth to the
# running state's memory (a table does not know its state).
grown = 0


def grown_slots() -> int:
    return grown


class TableKeyError(Exception):
    """Raised for a nil or NaN key; the caller turns it into the Lua error."""


class LuaTable:
    __slots__ = ("arr", "hash", "meta", "_keys", "_keypos", "_dead", "__weakref__")

    def __init__(self, narr: int = 0, nhash: int = 0) -> None:
        self.arr: list = []
        self.hash: dict = {}
        self.meta: Optional[LuaTable] = None
        self._keys: Optional[list] = None     # traversal snapshot for next()
        self._keypos: Optional[dict] = None
        self._dead = 0                        # tombstones in hash

    # ------------------------------------------------------------ reading
    def get(self, key: Any) -> Any:
        """Raw get (``rawget``)."""
        tk = type(key)
        if tk is str:
            return self.hash.get(key)
        if tk is int:
            arr = self.arr
            if 0 < key <= len(arr):
                return arr[key - 1]
            return self.hash.get(key)
        if tk is float:
            if key.is_integer() and -TWO63 <= key < TWO63:     # an integer key (in range)
                return self.get(int(key))
            return self.hash.get(key)
        if tk is bool:
            return self.hash.get(TRUE_KEY if key else FALSE_KEY)
        if key is None:
            return None
        return self.hash.get(key)

    def get_str(self, key: str) -> Any:
        return self.hash.get(key)

    def get_int(self, key: int) -> Any:
        arr = self.arr
        if 0 < key <= len(arr):
            return arr[key - 1]
        return self.hash.get(key)

    # ------------------------------------------------------------ writing
    def set(self, key: Any, value: Any) -> None:
        """Raw set (``rawset``); raises TableKeyError for a nil or NaN key."""
        tk = type(key)
        if tk is str:
            self._set_hash(key, value)
        elif tk is int:
            self.set_int(key, value)
        elif tk is float:
            if key.is_integer() and -TWO63 <= key < TWO63:
                self.set_int(int(key), value)
            elif key != key:
                raise TableKeyError("table index is NaN")
            else:
                self._set_hash(key, value)
        elif tk is bool:
            self._set_hash(TRUE_KEY if key else FALSE_KEY, value)
        elif key is None:
            raise TableKeyError("table index is nil")
        else:
            self._set_hash(key, value)

    def set_str(self, key: str, value: Any) -> None:
        self._set_hash(key, value)

    def set_int(self, key: int, value: Any) -> None:
        arr = self.arr
        n = len(arr)
        if 0 < key <= n:
            arr[key - 1] = value
            if value is None and key == n:
                arr.pop()
                while arr and arr[-1] is None:
                    arr.pop()
        elif key == n + 1:
            if value is not None:
                global grown
                grown += 1
                arr.append(value)
                self._migrate()
        else:
            self._set_hash(key, value)

    def _migrate(self) -> None:
        """Move keys len(arr)+1, len(arr)+2, ... from the hash to the array."""
        h = self.hash
        if not h:
            return
        arr = self.arr
        nxt = len(arr) + 1
        while nxt in h:
            v = h.pop(nxt)
            self._keys = None
            if v is None:
                self._dead -= 1
                break
            arr.append(v)
            nxt += 1

    def _set_hash(self, key: Any, value: Any) -> None:
        h = self.hash
        if value is None:
            if h.get(key) is not None:
                h[key] = None   # tombstone: keeps traversals valid
                self._dead += 1
            return
        if key not in h:
            global grown
            grown += 1
            if self._dead > 8 and self._dead * 2 > len(h):
                self._purge()
                h = self.hash
            self._keys = None
        elif h[key] is None:
            self._dead -= 1
        h[key] = value

    def _purge(self) -> None:
        self.hash = {k: v for k, v in self.hash.items() if v is not None}
        self._dead = 0
        self._keys = None

    # ------------------------------------------------------------ length & traversal
    def length(self) -> int:
        """The raw length ``#t`` (a border)."""
        n = len(self.arr)
        if n:
            return n
        h = self.hash
        if not h or h.get(1) is None:
            return 0
        # Only reachable when arr is empty and 1 is in the hash (never by our invariant,
        # kept for safety): count up as Lua's hash_search would find a border.
        j = 1
        while h.get(j + 1) is not None:
            j += 1
        return j

    def next(self, key: Any) -> Optional[tuple]:
        """The entry after ``key`` (None for the first) as ``(k, v)``, or None at the end.
        Raises KeyError for a key that is not in the table."""
        arr = self.arr
        n = len(arr)
        i = 0
        if key is None:
            i = 0
        else:
            tk = type(key)
            if tk is float and key.is_integer() and -TWO63 <= key < TWO63:
                key = int(key)
                tk = int
            if tk is int and 0 < key <= n:
                i = key
            else:
                return self._next_hash(key)
        while i < n:
            v = arr[i]
            i += 1
            if v is not None:
                return (i, v)
        return self._next_hash(None)

    def _next_hash(self, key: Any) -> Optional[tuple]:
        keys = self._keys
        if keys is None:
            keys = self._keys = list(self.hash)
            self._keypos = None
        if key is None:
            pos = 0
        else:
            if type(key) is bool:
                key = TRUE_KEY if key else FALSE_KEY
            kp = self._keypos
            if kp is None:
                kp = self._keypos = {k: i for i, k in enumerate(keys)}
            pos = kp[key] + 1
        h = self.hash
        nkeys = len(keys)
        while pos < nkeys:
            k = keys[pos]
            v = h.get(k)
            if v is not None:
                if type(k) is _BoolKey:
                    k = k.value
                return (k, v)
            pos += 1
        return None

    def __repr__(self) -> str:
        return f"<LuaTable {id(self):#x}>"
