cimport cython

# Types of frame.py for the Cython-compiled build (pure-Python mode: frame.py stays
# the only source; this file only declares what the compiled VM may access
# directly as C struct fields).

cdef class Frame:
    cdef public object func
    cdef public object proto
    cdef public list code
    cdef public list regs
    cdef public list upvals
    cdef public tuple varargs
    cdef public int pc
    cdef public int top
    cdef public int ret_a
    cdef public int nresults
    cdef public int kind
    cdef public object aux
    cdef public dict open_upvals
    cdef public list tbc
    cdef public object handler
    cdef public bint tailcall
    cdef public int base


cdef class LuaThread:
    cdef public object L
    cdef public list frames
    cdef public object status
    cdef public object resumer
    cdef public object func
    cdef public int nny
    cdef public int nccalls
    cdef public int cbase
    cdef public object error
    cdef public object hook
    cdef public int hookmask
    cdef public long long basehookcount
    cdef public long long hookcount
    cdef public int oldpc
    cdef public bint allowhook
    cdef public object transfer
    cdef public bint in_stack_error
    cdef public Frame wait
    cdef public int wait_layers
    cdef public bint resumed_by_wrap
    cdef public object results
    cdef public bint is_task
    cdef object __weakref__


@cython.locals(fr=Frame)
cpdef Frame new_frame(object func, int kind, int ret_a=*, int nresults=*, list regs=*)
cdef list FREE_FRAMES
cdef int MAX_FREE_FRAMES, free_count
cpdef release_frame(Frame fr)
