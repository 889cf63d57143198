-- expect: the sandbox does not read files
-- media from a path would read any file, and .bytes give it back
local m = assert(llm.media.file("/etc/passwd", {format = "pdf"}))
print(m.bytes)
