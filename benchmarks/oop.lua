-- Object-oriented style: method calls through __index chains (class and base class).
local n = tonumber(arg and arg[1]) or 200000

local Point = {}
Point.__index = Point
function Point.new(x, y) return setmetatable({ x = x, y = y }, Point) end
function Point:move(dx, dy) self.x = self.x + dx; self.y = self.y + dy end
function Point:norm1() return math.abs(self.x) + math.abs(self.y) end

local Particle = setmetatable({}, { __index = Point })
Particle.__index = Particle
function Particle.new(x, y, mass)
  local p = Point.new(x, y)
  p.mass = mass
  return setmetatable(p, Particle)
end
function Particle:energy() return self.mass * self:norm1() end

local objs = {}
for i = 1, 10 do objs[i] = Particle.new(i, -i, i % 3 + 1) end
local total = 0
for i = 1, n do
  local p = objs[i % 10 + 1]
  p:move(1, -1)
  total = total + p:energy()
end
print("oop", n, total)
