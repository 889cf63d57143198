-- Deterministic printing shared by the drivers: tables with sorted keys,
-- no addresses (functions/tables are shown by type only).
local show = {}

local function key_order(a, b)
  local ta, tb = type(a), type(b)
  if ta ~= tb then return ta < tb end
  if ta == "number" or ta == "string" then return a < b end
  return tostring(ta) < tostring(tb)
end

local function render(v, seen, indent)
  local t = type(v)
  if t == "string" then return string.format("%q", v) end
  if t == "number" then return math.type(v) .. ":" .. string.format("%.17g", v) end
  if t ~= "table" then
    if t == "boolean" or t == "nil" then return tostring(v) end
    return "<" .. t .. ">"
  end
  if seen[v] then return "<cycle>" end
  seen[v] = true
  local keys = {}
  for k in pairs(v) do keys[#keys + 1] = k end
  table.sort(keys, key_order)
  local parts = {}
  for _, k in ipairs(keys) do
    parts[#parts + 1] = indent .. "  [" .. render(k, seen, "") .. "] = " .. render(v[k], seen, indent .. "  ")
  end
  seen[v] = nil
  if #parts == 0 then return "{}" end
  return "{\n" .. table.concat(parts, ",\n") .. "\n" .. indent .. "}"
end

function show.value(v) return render(v, {}, "") end

-- print label and every value rendered
function show.p(label, ...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do out[i] = render((select(i, ...)), {}, "") end
  print(label, table.concat(out, " | "))
end

-- pcall f and print the outcome, the error message included
function show.try(label, f, ...)
  local res = table.pack(pcall(f, ...))
  if res[1] then
    show.p(label .. " ok", table.unpack(res, 2, res.n))
  else
    print(label .. " error", type(res[2]) == "string" and res[2] or show.value(res[2]))
  end
end

return show
