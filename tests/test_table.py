"""The table (ltable.c concept): keys normalised as Lua does, borders, traversal."""
from pylua.table import LuaTable


def test_new_key_after_many_deletions_is_kept():
    # Deleting leaves tombstones; a later insertion purges them and must still land.
    t = LuaTable()
    keys = [f"k{i}" for i in range(40)]
    for k in keys:
        t.set(k, 1)
    for k in keys:
        t.set(k, None)
    t.set("new", 2)
    assert t.get("new") == 2
    assert t.next(None) == ("new", 2)


def test_keys_normalised_like_lua():
    t = LuaTable()
    t.set(1.0, "one")
    t.set(True, "yes")
    t.set(2**53, "big")
    assert t.get(1) == "one" and t.length() == 1
    assert t.get(True) == "yes" and t.get(1) == "one"      # true is not 1
    assert t.get(float(2**53)) == "big"
    entries = set()
    e = t.next(None)
    while e is not None:
        entries.add(e)
        e = t.next(e[0])
    assert entries == {(1, "one"), (True, "yes"), (2**53, "big")}


def test_border_and_array_migration():
    t = LuaTable()
    t.set(3, "c")
    t.set(2, "b")
    assert t.length() == 0 or t.get(t.length() + 1) is None
    t.set(1, "a")
    assert t.length() == 3 and t.arr == ["a", "b", "c"]
    t.set(3, None)
    assert t.length() == 2
