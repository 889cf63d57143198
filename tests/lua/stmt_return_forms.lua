local function multi() return 1, 2, 3 end
local function wrap1() return multi() end
local function wrap2() return (multi()) end
local function wrap3() return multi(), 10 end
local function none() return end
local function early(x)
  do return "early" end
end
print(wrap1())
print(wrap2())
print(wrap3())
print(none())
print(select("#", none()))
print(early())
print((multi()))
