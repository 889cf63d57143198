-- expect: attempt to index a nil value
-- the library through _G, rawget and _ENV
local io = rawget(_G, "io") or _G.io or _ENV.io
io.open("/etc/passwd")
