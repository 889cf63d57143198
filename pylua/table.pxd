# Types of table.py for the Cython-compiled build (table.py stays the only source).
cimport cython

cdef Py_ssize_t grown
cpdef Py_ssize_t grown_slots()


@cython.final
cdef class LuaTable:
    cdef public list arr
    cdef public dict hash
    cdef public LuaTable meta
    cdef public list _keys
    cdef public dict _keypos
    cdef public Py_ssize_t _dead
    cdef object __weakref__

    cpdef object get(self, object key)
    cpdef object get_str(self, object key)
    cpdef object get_int(self, object key)
    cpdef set(self, object key, object value)
    cpdef set_str(self, object key, object value)
    cpdef set_int(self, object key, object value)
    cpdef _migrate(self)
    cpdef _set_hash(self, object key, object value)
    cpdef _purge(self)
    cpdef object length(self)
    cpdef object next(self, object key)
    cpdef object _next_hash(self, object key)
