# Types of strlib.py for the Cython-compiled build (strlib.py stays the only source):
# the argument checkers and the arithmetic are C calls.
cimport cython
from pylua.lauxlib cimport arg, check_integer, check_string, opt_integer, opt_string, type_name
from pylua.number cimport tonumber
from pylua.vm cimport arith_raw

cpdef long long posrelat_start(long long pos, long long ln)
cdef long long getendpos(tuple args, Py_ssize_t n, long long default, long long ln) except? -1
@cython.locals(s=str, ln=Py_ssize_t, pi="long long", posi="long long", pose="long long")
cdef tuple _byte(object L, tuple args)
