;;; local a = 1; ; local b = 2;;
print(a + b);
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(20))
print(fact(21) == -4249290049419214848)
