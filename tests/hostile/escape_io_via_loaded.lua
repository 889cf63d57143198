-- expect: attempt to index a nil value (field 'io')
-- the library table through package.loaded
package.loaded.io.open("/etc/passwd")
