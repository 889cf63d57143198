# Types of lauxlib.py for the Cython-compiled build (lauxlib.py stays the only
# source): the argument checkers become C functions for the compiled libraries
# that cimport them (cpdef: still callable from Python).
from pylua.number cimport float_to_int, str2number, tonumber
from pylua.table cimport LuaTable

cpdef object type_name(object v)
cpdef object arg(object args, Py_ssize_t n)
cpdef object check_integer(object args, Py_ssize_t n)
cpdef object opt_integer(object args, Py_ssize_t n, object default)
cpdef object check_number(object args, Py_ssize_t n)
cpdef object opt_number(object args, Py_ssize_t n, object default)
cpdef object tolstring(object v)
cpdef object check_string(object args, Py_ssize_t n)
cpdef object opt_string(object args, Py_ssize_t n, object default)
cpdef bint to_boolean(object v)
