local nz = -0.0
print(nz, 0.0, -0.0 == 0.0, 1 / nz, 1 / 0.0)
print(0.0 * -1, -0.0 + 0.0, -0.0 - 0.0, 0 * -1.0)
print(math.tointeger(-0.0), math.type(math.tointeger(-0.0)))
print(string.format("%g %.1f", -0.0, -0.0))
print(-0.0 // 1, 0.0 // -1, -1 % math.huge)
print(math.abs(-0.0), math.max(-0.0, 0.0), math.min(0.0, -0.0))
print(tostring(-0.0), -0.0 .. "")
local t = {}
t[-0.0] = "zero"
print(t[0], t[0.0])
