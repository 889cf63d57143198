-- expect: attempt to call a nil value (field 'getregistry')
-- the registry holds every library in full
local reg = debug.getregistry()
print(reg._LOADED.io)
