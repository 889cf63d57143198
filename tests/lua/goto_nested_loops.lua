local grid = {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
local found
for r = 1, #grid do
  for c = 1, #grid[r] do
    if grid[r][c] == 5 then found = r .. "," .. c goto done end
  end
end
::done::
print(found)
-- a goto that retries
local attempts = 0
::retry::
attempts = attempts + 1
if attempts < 3 then goto retry end
print(attempts)
-- labels in nested functions are separate
local function f()
  goto skip
  do return "not skipped" end
  ::skip::
  return "skipped"
end
print(f())
while true do
  goto out
end
::out::
print("left while")
