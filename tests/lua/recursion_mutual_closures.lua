local function make_counter_tree(depth)
  if depth == 0 then return function() return 1 end end
  local left, right = make_counter_tree(depth - 1), make_counter_tree(depth - 1)
  return function() return left() + right() end
end
print(make_counter_tree(10)())
local function ackermann(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ackermann(m - 1, 1) end
  return ackermann(m - 1, ackermann(m, n - 1))
end
print(ackermann(2, 3))
local function hanoi(n, from, to, via, moves)
  if n == 0 then return moves end
  moves = hanoi(n - 1, from, via, to, moves)
  moves = moves + 1
  return hanoi(n - 1, via, to, from, moves)
end
print(hanoi(10, "a", "c", "b", 0))
