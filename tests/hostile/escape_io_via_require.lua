-- expect: module 'io' not found
-- the library through require
require("io").open("/etc/passwd")
