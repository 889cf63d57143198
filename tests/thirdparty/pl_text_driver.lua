-- penlight text modules: stringx, text, template, pretty, lexer, sip,
-- stringio, url, config, data, utils, types.
local stringx = require "pl.stringx"
local text = require "pl.text"
local template = require "pl.template"
local pretty = require "pl.pretty"
local lexer = require "pl.lexer"
local sip = require "pl.sip"
local stringio = require "pl.stringio"
local url = require "pl.url"
local config = require "pl.config"
local data = require "pl.data"
local utils = require "pl.utils"
local types = require "pl.types"
local List = require "pl.List"
local show = require "show"
local p = show.p

-- stringx
p("predicates", stringx.isalpha("abc"), stringx.isdigit("123"), stringx.isalnum("a1"), stringx.isspace(" \t"), stringx.islower("ab"), stringx.isupper("AB"))
p("startswith", stringx.startswith("hello", "he"), stringx.endswith("hello", {"x", "lo"}), stringx.at("hello", 2))
p("join/split", stringx.join(",", {"a", "b"}), stringx.split("a b  c"), stringx.split("a,b,,c", ","), stringx.split("a1b2c", "%d", 2))
p("splitlines", stringx.splitlines("one\ntwo\r\nthree"), stringx.splitlines("a\nb\n", true))
p("expandtabs", stringx.expandtabs("a\tbc\td", 4), stringx.expandtabs("\t", 2))
p("find", stringx.lfind("hello.world", "."), stringx.rfind("a.b.c", "."), stringx.replace("a.b.c", ".", "::"), stringx.replace("aaa", "a", "b", 2), stringx.count("banana", "an"))
p("justify", stringx.ljust("ab", 5, "."), stringx.rjust("ab", 5), stringx.center("ab", 6, "*"), stringx.center("abc", 6))
p("strip", stringx.strip("  x  "), stringx.lstrip("--x--", "-"), stringx.rstrip("x\n\n"), stringx.strip("[[x]]", "[]"))
p("partition", stringx.partition("key=value=more", "="), stringx.rpartition("key=value=more", "="), stringx.partition("none", "="))
p("lines", List(stringx.lines("l1\nl2\nl3")))
p("title/shorten", stringx.title("hello wide world"), stringx.shorten("a long sentence here", 10), stringx.shorten("a long sentence here", 10, true))
p("quote_string", stringx.quote_string("plain"), stringx.quote_string("with \"quotes\" and\nnewline"), stringx.quote_string("]]"))
p("Template", stringx.Template("Hello $name, ${thing}!"):substitute({name = "Ann", thing = "hi"}), stringx.Template("$a $b"):safe_substitute({a = 1}))
show.try("Template missing", function() return stringx.Template("$a $b"):substitute({a = 1}) end)
p("indent/dedent", text.indent("a\nb\n", 2), text.dedent("    x\n      y\n    z\n"))
p("wrap", text.wrap("The quick brown fox jumps over the lazy dog and keeps running far away", 20))
p("fill", text.fill("The quick brown fox jumps over the lazy dog", 15))

-- template
local tmpl = [[
<ul>
# for i, item in ipairs(items) do
  <li>$(i): $(item.name) costs $(string.format("%.2f", item.price))</li>
# end
</ul>
]]
print(template.substitute(tmpl, {items = {{name = "tea", price = 2.5}, {name = "cake", price = 3}}, ipairs = ipairs, string = string}))
local compiled = template.compile("Hi $(who)! @if x then yes @else no @end", {escape = "@", inline_escape = "$"})
print((compiled:render({who = "you", x = true})), (compiled:render({who = "me"})))
print(template.substitute("{{ greeting }} world", {greeting = "hello", _inline_brackets = "{{}}", _inline_escape = ""}))
local rendered, err = template.substitute("$(undefined.field)", {})
print("template error", rendered, (err:match("^[^\n]*")))

-- pretty
print(pretty.write({1, 2, "three", {4, 5}, key = "value", [10] = true, nested = {a = {b = {}}}}))
print(pretty.write({a = 1, list = {1, 2}}, ""))
print(pretty.write({x = 1.5, y = -0.0, z = 1e15, w = math.maxinteger, n = 0/0, i = -math.huge}, ""))
show.try("pretty huge float", pretty.write, {1e100}, "")
show.try("pretty float beyond integers", pretty.write, {big = 2^63}, "")
print(pretty.write("just a string"), pretty.write(42), pretty.write(nil))
local cyclic = {} cyclic.me = cyclic
print(pretty.write(cyclic, ""))
p("pretty.read", pretty.read("{1, 2, a = 'x', {b = true}}"), pretty.read("{x = 1; y = 2}"))
p("pretty.read rejects", pretty.read("{f = function() end}"), pretty.read("{os.exit()}"))
p("pretty.load", pretty.load("x = 1 y = {2, 3}"))
p("number formats", pretty.number(1234567), pretty.number(123456789, "M"), pretty.number(2048, "N"), pretty.number(1536, "T"), pretty.number(1e9, "M", 3))
p("dump to string", pretty.write({["key with space"] = 1, ["end"] = 2, [1.5] = 3}, "  ", true))

-- lexer
local tokens = {}
for t, v in lexer.lua("local x = 10 + y.z -- comment\nreturn 'str', 3.5e2, ...") do tokens[#tokens + 1] = t .. ":" .. tostring(v) end
print("lua tokens", table.concat(tokens, " "))
tokens = {}
for t, v in lexer.scan("alpha = 42 * (beta - 'q')", nil, {space = true}) do tokens[#tokens + 1] = t .. ":" .. tostring(v) end
print("scan tokens", table.concat(tokens, " "))
tokens = {}
for t, v in lexer.cpp("int main() { return 0x1F; } // c") do tokens[#tokens + 1] = t .. ":" .. tostring(v) end
print("cpp tokens", table.concat(tokens, " "))
local tok = lexer.lua("f(a, b) + g")
print("get_separated_list", pretty.write((function() tok() tok() return lexer.get_separated_list(tok) end)(), ""))
print("get_keys", pretty.write(lexer.get_keywords(), ""):len() > 10)

-- sip
local res = {}
p("sip match", sip.match("$v{name} = $d{value}", "alpha = 42", res), res)
local pat = sip.compile("$S{user}@$S{host}:$d{port}")
local r2 = {}
p("sip compiled", pat("bob@example.org:8080", r2), r2)
p("sip no match", sip.match("$d", "abc", {}))
p("sip create_pattern", sip.create_pattern("$i{n} $f{x} $q{s}"))
p("sip match_at_start", sip.match_at_start("$v{w}", "word rest", {}))

-- stringio
local f = stringio.open("line one\nline two\n42 3.5\n")
p("stringio read", f:read(), f:read("*l"), f:read("*n"), f:read("*n"), f:read("*a"))
local w = stringio.create()
w:write("a", 1, "b") w:writef("%d-%s", 5, "x")
p("stringio write", w:value())
local lines = {}
for l in stringio.lines("x\ny\nz") do lines[#lines + 1] = l end
p("stringio lines", lines)

-- url
p("url", url.quote("a b&c=d/é"), url.quote("a b", true), url.unquote("a%20b+c%2F"))

-- config
local conf = config.read(stringio.open("# comment\nname = value\nnumber = 42\nlist = 1,2,3\n[section]\nkey = x\n"), {list_delim = ","})
p("config", conf)
local props = config.read(stringio.open("a.b=1\nc: two\n"), {keysep = ":", smart = false})
p("config props", props)

-- data
local d = data.read(stringio.open("name,age\nann,30\nbob,25\n"), {csv = true})
p("data fieldnames", d.fieldnames, #d)
p("data rows", d[1], d[2])
p("data column", d:column_by_name("age"))
local out = stringio.create()
data.write({{1, 2}, {3, 4}}, out, {"a", "b"}, ",")
p("data write", out:value())

-- utils
p("utils.split", utils.split("a b c"), utils.splitv("x,y", ","))
p("utils.choose/array_tostring", utils.choose(true, 1, 2), utils.array_tostring({1, 2.5, "s"}))
p("utils.quote_arg", utils.quote_arg("simple"), utils.quote_arg("has space"), utils.quote_arg({"a", "b c"}))
p("utils.escape", utils.escape("a.b*c"), utils.is_type("x", "string"), utils.is_type(List(), List))
p("utils.pack", utils.pack(1, nil, 3), utils.unpack({1, 2, n = 3}))
p("utils.string_lambda", utils.string_lambda("_ + 1")(4), utils.string_lambda("|x, y| x * y")(3, 4))
p("utils.memoize", (function() local n = 0 local f = utils.memoize(function(x) n = n + 1 return x * 2 end) f(2) f(2) return n end)())
p("utils.bind", utils.bind1(string.rep, "ab")(2), utils.bind2(string.rep, 3)("x"))
p("utils.enum", pcall(function() local e = utils.enum("A", "B") return e.A, e.B, e.C end))
p("utils.kpairs", (function() local r = {} for k, v in utils.kpairs({1, 2, a = 3}) do r[#r + 1] = k end return r end)())
show.try("utils.assert_arg", utils.assert_arg, 1, 42, "string")
show.try("utils.assert_string", utils.assert_string, 2, {})
show.try("utils.raise", function() utils.on_error("error") utils.raise("raised!") end)
p("utils.npairs", (function() local r = {} for i, v in utils.npairs({"a", "b", "c"}, 2, 3) do r[#r + 1] = i .. v end return r end)())

-- types
p("types", types.is_callable(print), types.is_integer(3), types.is_integer(3.5), types.is_empty({}), types.is_empty(" ", true), types.is_indexable("x"), types.is_iterable({}), types.is_writeable({}))
p("types.to_bool", types.to_bool("yes"), types.to_bool("no"), types.to_bool(1), types.to_bool(0), types.to_bool({}))
p("types.type", types.type(List()), types.type(1), types.type(io.stdout))

-- last: it gives every string a __mod metamethod, which changes how pl.template works
p("format_operator", (function() stringx.format_operator() return "%s=%d" % {"x", 5} end)())
