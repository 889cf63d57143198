local s = [[
first line
second line]]
print(s, #s)
print([==[contains ]] and ]=] inside]==])
--[[ a long
comment ]] print("after long comment")
--[==[ another
]] still comment
]==] print("after level-2 comment")
print([[]] == "", #[[

x]])
