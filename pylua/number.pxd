# Types of number.py for the Cython-compiled build (number.py stays the only source):
# the arithmetic helpers the VM calls become C calls.


cpdef object wrap(object i)
cpdef object float_to_int(object f)
cpdef object tonumber(object v)
cpdef object str2int(str s)
cpdef object str2float(str s)
cdef dict _numerals
cdef Py_ssize_t NUMERALS_CACHED, SHORT_NUMERAL
cpdef object str2number(object s)
cpdef str fmt_float(object f)
cpdef str tostr(object v)
cpdef object fmod(object a, object b)
cpdef object mod_float(object a, object b)
cpdef object div_float(object a, object b)
cpdef object idiv_float(object a, object b)
cpdef object pow_float(object a, object b)
cpdef object shift_left(object x, object n)
