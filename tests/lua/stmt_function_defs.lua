local a = {b = {c = {}}}
function a.b.c.f(x) return x + 1 end
function a.b.c:m(x) return self == a.b.c, x end
print(a.b.c.f(1))
print(a.b.c:m(5))
print(a.b.c.m(a.b.c, 6))
local obj = {n = 0}
function obj:inc() self.n = self.n + 1 return self end
obj:inc():inc():inc()
print(obj.n)
function globalfn() return "global" end
print(globalfn(), type(_G.globalfn))
local function named() return "local" end
print(named())
