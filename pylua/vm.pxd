# Types of vm.py for the Cython-compiled build: vm.py stays the only source of the
# interpreter; this file declares the C types of the hot loop's locals and makes the
# call/return path C functions (cpdef where other modules call them too).
cimport cython
from pylua.frame cimport Frame, LuaThread, new_frame, release_frame
from pylua.objects cimport Builtin, LuaFunction, Special, Upvalue
from pylua.proto cimport Proto
from pylua.table cimport LuaTable
from pylua.gc cimport Collector
from pylua.number cimport (div_float, float_to_int, idiv_float, mod_float, pow_float,
                           shift_left, str2number, tonumber, wrap)

# Constants read in the loop: C variables instead of module-dict lookups.
cdef int K_CALL, K_BOUNDARY, K_MM, K_COND, K_DISCARD, K_CONCAT, K_PCALL, K_COBASE, K_CMARK
cdef int K_CLOSE, K_ERRCLOSE, K_THEN, MAX_STACK_SLOTS, TIME_SLICE
cdef int budget, granted     # the time slice (see time_slice)
cdef object MININTEGER, MAXINTEGER
cdef long long INT_MIN, INT_MAX
cdef long long TABLE_BYTES, CLOSURE_BYTES, STRING_HEADER
cdef int OP_ADD, OP_BAND, OP_BNOT, OP_BOR, OP_BXOR, OP_DIV, OP_MOD, OP_MUL
cdef int OP_POW, OP_SHL, OP_SHR, OP_SUB, OP_UNM

cpdef object arith_raw(int op, object x, object y, Frame fr=*)
cpdef object tointeger_ns(object v)
cpdef object tm_of(object L, object v, object event)


@cython.final
cdef class Instr:
    cdef readonly int op, a, b, c, k
    cdef readonly object kb, kc


cpdef Frame push_lua(object L, LuaThread th, LuaFunction f, object args, int kind,
                     int ret_a, int nresults)
@cython.locals(p=Proto, n=int, base=int, np=int, j=int, fr=Frame, regs=list)
cdef Frame enter_lua(object L, LuaThread th, LuaFunction f, list src, int first, int nargs,
                     int kind, int ret_a, int nresults)
@cython.locals(frames=list, caller=Frame)
@cython.locals(caller=Frame, p=Proto)
cdef int stack_base(LuaThread th, int kind, int ret_a) except? -1
cpdef enter_ccall(LuaThread th)
cpdef pop_frame(LuaThread th, Frame fr)
cdef place_results(Frame fr, object res, int a, int want)
cdef Frame deliver(object L, LuaThread th, Frame fr, object res)
cdef object call_builtin(object L, Frame caller, Builtin f, object args)
cdef object call_host(object L, Frame caller, Builtin f, object argv)
@cython.locals(_=int)
cdef Frame precall(object L, LuaThread th, object f, object args, int kind, int ret_a,
                   int nresults, object aux=*)
@cython.locals(tab=LuaTable, mt=LuaTable, loop=int)
cpdef tuple index_chain(object L, Frame fr, object t, object key, object reg=*, object upval=*)
@cython.locals(tab=LuaTable, mt=LuaTable, loop=int)
cpdef object newindex_chain(object L, Frame fr, object t, object key, object val, object reg=*,
                            object upval=*)
cdef Frame get_slow(object L, LuaThread th, Frame fr, object t, object key, int a,
                    object reg=*, object upval=*)
cdef Frame set_slow(object L, LuaThread th, Frame fr, object t, object key, object val,
                    object reg=*, object upval=*)
cdef Frame finish_return(object L, LuaThread th, Frame fr, object res, int first=*)
cdef LuaFunction make_closure(Frame fr, Proto p)

# the coroutine path: resume/yield are switches of frame stack within the loop
cdef Frame special_call(object L, LuaThread th, Special f, object args, int ret_a, int nresults)
cdef Frame _special_call(object L, LuaThread th, Special f, object args, int ret_a, int nresults)
cdef Frame resume(object L, LuaThread th, LuaThread co, object args, int ret_a, int nresults,
                  bint wrap_call)
cpdef Frame continue_yielded(object L, LuaThread co, object args)
cpdef Frame start_coroutine(object L, LuaThread co, object f, object args)
cdef Frame finish_coroutine(object L, LuaThread co, bint ok, object res)
cdef Frame switch_to_resumer(object L, LuaThread co, bint ok, object values)
cdef Frame yield_(object L, LuaThread th, Special fn, object values, int ret_a, int nresults,
                  int layers=*, int kind=*, object aux=*)

cpdef object execute(object L, LuaThread th)
cpdef object run_from(object L, Frame fr, object err)
cpdef time_slice(object L, LuaThread th, Frame fr, int pc)
cpdef reset_slice(int grant)
cdef Frame wait_frame(LuaThread th, object p, int kind, int ret_a, int nresults, object aux=*)
@cython.locals(depth=int, _=int, keep=int, frames=list)
cpdef object host_call(object L, LuaThread th, object f, object args, Frame marker)
cpdef push_marker(LuaThread th, Frame marker)

@cython.locals(th=LuaThread, fr=Frame, nf=Frame, frames=list, code=list, regs=list, upvals=list,
               pc=int, top=int, hooked=int, ins=Instr, op=int, a=int, b=int, c=int, k=int,
               uv=Upvalue, tab=LuaTable, arr=list, nargs=int, want=int, j=int, n=int,
               nv=int, aop=int, cond=bint, va=tuple, args=list, gcc=Collector,
               xi=cython.longlong, yi=cython.longlong, ri=cython.longlong, xf=cython.double,
               yf=cython.double)
cdef list _run(object L, LuaThread th, Frame fr)
