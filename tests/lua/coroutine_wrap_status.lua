local gen = coroutine.wrap(function(...)
  local args = {...}
  while true do
    local cmd = coroutine.yield(#args)
    if cmd == "stop" then return "stopped" end
    args[#args + 1] = cmd
  end
end)
print(gen("a", "b"))
print(gen("c"))
print(gen("d"))
print(gen("stop"))
print(pcall(gen))
