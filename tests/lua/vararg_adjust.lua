local function three() return 1, 2, 3 end
local function show(...) return select("#", ...), ... end
print(show(three()))
print(show(three(), three()))
print(show((three())))
print(show(three(), nil))
local t = {three(), three()}
print(#t)
t = {three(), (three())}
print(#t)
t = {three(), three(), x = 1}
print(#t)
print(#{(three())})
local function pass(...) return ... end
print(pass(pass(pass(1, 2))))
print(("x"):rep(3, three()))
