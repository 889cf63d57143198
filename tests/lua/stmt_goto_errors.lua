print(load("goto nowhere"))
print(load("::a:: ::a::"))
print(load("goto f; local x; ::f:: print(x)"))
print(load("do ::l1:: end goto l1"))
print(load("break"))
-- a label at the end of a block is outside the local's scope: this is valid
print(type(load("do goto e; local x = 1 ::e:: end")))
