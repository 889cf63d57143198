# Types of strformat.py for the Cython-compiled build (strformat.py stays the only
# source): parsed specifications are C structs, their conversion letters C
# characters, the argument checkers C calls.
cimport cython
from pylua.lauxlib cimport check_integer, check_number, check_string


@cython.final
cdef class Spec:
    cdef public str flags
    cdef public Py_ssize_t width
    cdef public object prec
    cdef public Py_UCS4 conv
    cdef public str printf


@cython.final
cdef class Item:
    cdef public str form
    cdef public Py_UCS4 conv
    cdef public Spec spec
    cdef public object bad
    cdef public bint plain


cdef dict _parsed
cpdef str format_int(Spec spec, object n)
cpdef str format_float(Spec spec, double x)
@cython.locals(top=Py_ssize_t, arg=Py_ssize_t, out=list, parts=list)
cdef tuple _format(object L, tuple args)
@cython.locals(conv=Py_UCS4)
cdef str _format_item(object L, tuple args, Py_ssize_t arg, Item item)
