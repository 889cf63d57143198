-- Conway's Game of Life on a small torus: nested tables, closures, string building.
local W, H = 12, 8

local function new_grid() 
  local g = {}
  for y = 1, H do g[y] = {} for x = 1, W do g[y][x] = false end end
  return g
end

local grid = new_grid()
-- a glider and a blinker
for _, p in ipairs({{2, 1}, {3, 2}, {1, 3}, {2, 3}, {3, 3}, {9, 5}, {10, 5}, {11, 5}}) do
  grid[p[2]][p[1]] = true
end

local function neighbours(g, x, y)
  local n = 0
  for dy = -1, 1 do
    for dx = -1, 1 do
      if not (dx == 0 and dy == 0) then
        local row = g[(y + dy - 1) % H + 1]
        if row[(x + dx - 1) % W + 1] then n = n + 1 end
      end
    end
  end
  return n
end

local function step(g)
  local nxt = new_grid()
  for y = 1, H do
    for x = 1, W do
      local n = neighbours(g, x, y)
      nxt[y][x] = n == 3 or (g[y][x] and n == 2)
    end
  end
  return nxt
end

local function show(g, gen)
  local lines, alive = {}, 0
  for y = 1, H do
    local row = {}
    for x = 1, W do
      row[x] = g[y][x] and "#" or "."
      if g[y][x] then alive = alive + 1 end
    end
    lines[y] = table.concat(row)
  end
  print(string.format("generation %d (%d alive)", gen, alive))
  print(table.concat(lines, "\n"))
end

for gen = 0, 4 do
  show(grid, gen)
  grid = step(grid)
end
