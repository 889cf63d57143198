local s = "\xe2\x82\xac"
print(#s, s:byte(1, -1))
print(s:upper() == s, ("\xc9"):lower() == "\xc9", ("\xff"):rep(2):byte(1, -1))
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
local bytes = table.concat(all)
print(#bytes, bytes:byte(256), bytes:sub(66, 68))
print(bytes:find("\0", 1, true), bytes:find("%z"), select(2, bytes:gsub("%a", "")))
print(select(2, bytes:gsub("%s", "")), select(2, bytes:gsub("%p", "")), select(2, bytes:gsub("%c", "")))
