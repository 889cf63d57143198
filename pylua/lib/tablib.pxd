# Types of tablib.py for the Cython-compiled build (tablib.py stays the only source):
# the quicksort's positions are C integers and its steps C calls.
cimport cython
from pylua.lauxlib cimport arg, check_integer, opt_integer, opt_string, to_boolean, type_name
from pylua.table cimport LuaTable


@cython.final
cdef class _Sorter:
    cdef object get, set, lt, L
    cdef LuaTable tab

    cdef object _invalid(self)
    @cython.locals(tab=LuaTable, arr=list)
    cdef object _get(self, Py_ssize_t i)
    @cython.locals(tab=LuaTable)
    cdef object _set(self, Py_ssize_t i, object v)
    @cython.locals(i=Py_ssize_t, j=Py_ssize_t)
    cdef Py_ssize_t partition(self, Py_ssize_t lo, Py_ssize_t up, object pivot) except -1
    @cython.locals(p=Py_ssize_t, r4=Py_ssize_t, n=Py_ssize_t)
    cpdef sort(self, Py_ssize_t lo, Py_ssize_t up, unsigned long long rnd)
