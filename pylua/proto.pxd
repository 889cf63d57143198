# Types of proto.py for the Cython-compiled build (proto.py stays the only source).

cdef class Proto:
    cdef public object source
    cdef public object linedefined
    cdef public object lastlinedefined
    cdef public Py_ssize_t numparams
    cdef public bint is_vararg
    cdef public Py_ssize_t maxstacksize
    cdef public list code
    cdef public list lineinfo
    cdef public list k
    cdef public list p
    cdef public list upvalues
    cdef public list locvars
    cdef public list decoded
