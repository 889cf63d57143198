-- expect: module 'evil' not found
-- evil.lua is in the working directory, and package.path points at it
package.path = "./?.lua;?.lua"
require("evil")
