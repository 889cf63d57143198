"""Embedding pylua in Python: the example of README.md, run by tests/test_runtime.py."""
import asyncio

from pylua import LuaError, LuaRuntime

lua = LuaRuntime()
lua.globals().greet = lambda name: f"hello, {name}"     # a Python function, callable from Lua
print(lua.eval("greet('Lua')"))                         # hello, Lua
square = lua.eval("function(x) return x * x end")       # a Lua function, callable from Python
print(square(12))                                       # 144
config = lua.table_from({"width": 3, "height": 4})      # a Lua table made from a dict
print(lua.execute("local c = ... ; return c.width * c.height", config))          # 12
print(lua.execute("local t = {...}; table.sort(t); return t", 3, 1, 2).to_list())  # [1, 2, 3]
try:
    lua.execute("error('boom')")
except LuaError as e:
    print(e)                                            # [string "error('boom')"]:1: boom


async def fetch(url):                                   # an async function: Lua waits for it
    await asyncio.sleep(0.1)
    return f"<page of {url}>"

lua.globals().fetch = fetch
print(lua.execute("return fetch('a.org')"))             # <page of a.org>: execute runs a loop
print(asyncio.run(lua.execute_async("""                 -- inside a running event loop
    local a, b = task.spawn(fetch, 'b.org'), task.spawn(fetch, 'c.org')  -- 0.1 s, not 0.2
    return a:join() .. b:join()""")))                   # <page of b.org><page of c.org>
