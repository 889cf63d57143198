-- expect: attempt to call a nil value (field 'searchpath')
-- probe the host's file system
print(package.searchpath("passwd", "/etc/?"))
