# Types of objects.py for the Cython-compiled build (objects.py stays the only source).
from pylua.proto cimport Proto


cdef class Upvalue:
    cdef public list regs
    cdef public Py_ssize_t idx


cdef class LuaFunction:
    cdef public Proto proto
    cdef public list upvals
    cdef object __weakref__


cdef class Builtin:
    cdef public object fn
    cdef public object name
    cdef public object upvals
    cdef object __weakref__


cdef class Special(Builtin):
    cdef public object kind
    cdef public object data


cdef class Userdata:
    cdef public object value
    cdef public object meta
    cdef public object uservalues
    cdef object __weakref__
