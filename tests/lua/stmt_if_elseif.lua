local function classify(n)
  if n < 0 then
    return "negative"
  elseif n == 0 then
    return "zero"
  elseif n < 10 then
    return "small"
  else
    return "large"
  end
end
for _, v in ipairs({-5, 0, 3, 42}) do print(v, classify(v)) end
if nil then print("nil is true?") else print("nil is false") end
if 0 then print("0 is true") end
if "" then print("empty string is true") end
if false then print("no") elseif false then print("no") end
print("done")
