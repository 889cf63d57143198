-- expect: module 'evil.sub' not found
package.cpath = "./?.so"
require("evil.sub")
