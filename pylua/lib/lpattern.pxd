# Types of lpattern.py for the Cython-compiled build (lpattern.py stays the only
# source): the match state and the parsed pattern become C structs, the matcher's
# positions C integers and its helpers C functions.
cimport cython
from pylua.lauxlib cimport arg, check_string, opt_integer, to_boolean, type_name
from pylua.lib.strlib cimport posrelat_start
from pylua.number cimport tostr

cdef Py_ssize_t MAXCAPTURES, MAXCCALLS, CAP_UNFINISHED, CAP_POSITION, STEP_CHUNK, SCAN_SHIFT
ctypedef const unsigned char* flags   # a character set as 256 flags (bytes)

cdef Py_ssize_t SCAN_LIMIT
cdef int _CHAR, _LIT, _OPEN, _CLOSE, _END, _BALANCE, _FRONTIER, _BACKREF, _ERROR


@cython.final
cdef class Pattern:
    cdef public list items
    cdef public list first
    cdef public list hops
    cdef public list run_only_end
    cdef public object lead_literal
    cdef public object lead_search
    cdef public bytes lead_table
    cdef public object skip_run


@cython.final
cdef class MatchState:
    cdef public object L
    cdef public str src
    cdef public Py_ssize_t slen
    cdef public Pattern pattern
    cdef public list items
    cdef public Py_ssize_t nitems
    cdef public list first
    cdef public list hops
    cdef public Py_ssize_t depth
    cdef public Py_ssize_t level
    cdef public list cap_init
    cdef public list cap_len
    cdef public Py_ssize_t steps

    cdef object error(self, str msg)
    cdef object too_complex(self)
    cdef charge(self)
    cdef scanned(self, Py_ssize_t n)
    @cython.locals(nxt=object)
    cdef object follow(self, Py_ssize_t i)


cdef dict _cache
@cython.locals(cp=Pattern)
cpdef Pattern compile_pattern(str pat)
@cython.locals(ms=MatchState)
cdef MatchState new_match_state(object L, str src, Pattern cp)

@cython.locals(tab=flags, slen=Py_ssize_t, end=Py_ssize_t)
cdef Py_ssize_t _span(bytes table, object run, str src, Py_ssize_t s) except -2
@cython.locals(tab=flags, slen=Py_ssize_t, end=Py_ssize_t)
cdef Py_ssize_t _seek(bytes table, object search, str src, Py_ssize_t pos) except -2

@cython.locals(src=str, slen=Py_ssize_t, items=list, n=Py_ssize_t, nested=Py_ssize_t,
               opened=Py_ssize_t, it=tuple, kind=int, r=Py_ssize_t, level=Py_ssize_t,
               lv=Py_ssize_t, cap_len=list, tab=flags)
cdef Py_ssize_t _match(MatchState ms, Py_ssize_t s, Py_ssize_t i) except -2
@cython.locals(e=Py_ssize_t, r=Py_ssize_t, src=str, it=tuple)
cdef Py_ssize_t _max_expand(MatchState ms, Py_ssize_t s, Py_ssize_t i, Py_ssize_t lo) except -2
@cython.locals(r=Py_ssize_t, e=Py_ssize_t, src=str, slen=Py_ssize_t)
cdef Py_ssize_t _min_expand(MatchState ms, Py_ssize_t s, Py_ssize_t i) except -2
@cython.locals(cont=Py_ssize_t, k=Py_ssize_t)
cdef Py_ssize_t _match_balance(str src, Py_ssize_t s, str b, str e) except -2
@cython.locals(ln=Py_ssize_t, init=Py_ssize_t)
cdef Py_ssize_t _match_capture(MatchState ms, Py_ssize_t s, Py_ssize_t lv) except -2
@cython.locals(ln=Py_ssize_t, init=Py_ssize_t)
cdef object get_onecapture(MatchState ms, Py_ssize_t i, Py_ssize_t s, Py_ssize_t e)
@cython.locals(i=Py_ssize_t)
cdef list push_captures(MatchState ms, Py_ssize_t s, Py_ssize_t e, bint whole)
cdef Py_ssize_t _candidates(Pattern cp, str src, Py_ssize_t pos) except -2
@cython.locals(cp=Pattern, fast=bint, e=Py_ssize_t, nxt=Py_ssize_t)
cdef object _first_match(MatchState ms, Py_ssize_t pos, bint anchor, Py_ssize_t lastmatch)
@cython.locals(lead=tuple)
cdef Py_ssize_t _next_start(Pattern cp, str src, Py_ssize_t pos) except -2
@cython.locals(s=str, p=str, ls=Py_ssize_t, init=Py_ssize_t, k=Py_ssize_t, anchor=bint,
               ms=MatchState, s1=Py_ssize_t, e=Py_ssize_t)
cdef tuple _find_aux(object L, tuple args, bint find)
cdef _add_s(MatchState ms, list out, list parts, Py_ssize_t s, Py_ssize_t e)
cdef bint _add_value(MatchState ms, list out, Py_ssize_t s, Py_ssize_t e, object repl) except -1
@cython.locals(srcl=Py_ssize_t, pos=Py_ssize_t, lastmatch=Py_ssize_t, n=Py_ssize_t,
               max_s=Py_ssize_t, e=Py_ssize_t, nxt=Py_ssize_t, changed=bint, fast=bint,
               anchor=bint, cp=Pattern, ms=MatchState, out=list)
cdef tuple _gsub(object L, tuple args)
