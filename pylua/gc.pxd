# Types of gc.py for the Cython-compiled build (gc.py stays the only source): the VM
# charges allocations to the collector's debt as C fields.

cdef class Collector:
    cdef public object L
    cdef public dict finobj
    cdef public bint has_weak
    cdef public long long debt
    cdef public long long threshold
    cdef public bint running
    cdef public bint in_finalizer
    cdef public object live_estimate
    cdef public object live_frame
    cdef public object live_limit
    cdef public long long memory_limit
