local function try(f) print(select(2, pcall(f))) end
try(function() return true + 1 end)
try(function() local b = false return -b end)
try(function() return true .. "" end)
try(function() local b = true return b.x end)
try(function() local flag = true return #flag end)
try(function() return print + 1 end)
try(function() local co = coroutine.create(print) return co.x end)
print(true == true, true ~= false, not true == false)
