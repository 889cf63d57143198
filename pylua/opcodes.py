"""Lua 5.4 instruction set (lopcodes.h), shared by the compiler, the VM and the listing.

Instructions are unsigned 32-bit integers with exactly Lua 5.4's layout, so listings
compare with ``luac -l`` and binary chunks can be exchanged with real Lua:

    iABC   C(8) | B(8) | k(1) | A(8) | Op(7)
    iABx        Bx(17)      | A(8) | Op(7)
    iAsBx      sBx(17)      | A(8) | Op(7)
    iAx          Ax(25)            | Op(7)
    isJ          sJ(25)            | Op(7)

Notation in the opcode comments: R[x] register, K[x] constant, RK(x) register or,
with the k bit, constant; sB/sC/sBx/sJ are signed (stored with an excess offset).
The VM does not decode these integers at run time: it decodes each prototype once
into the form it dispatches fastest (see ``vm.py``).
"""

SIZE_OP = 7
SIZE_A = 8
SIZE_B = 8
SIZE_C = 8
SIZE_Bx = SIZE_B + SIZE_C + 1
SIZE_Ax = SIZE_Bx + SIZE_A
SIZE_sJ = SIZE_Bx + SIZE_A

POS_OP = 0
POS_A = POS_OP + SIZE_OP
POS_k = POS_A + SIZE_A
POS_B = POS_k + 1
POS_C = POS_B + SIZE_B
POS_Bx = POS_k
POS_Ax = POS_A
POS_sJ = POS_A

MAXARG_A = (1 << SIZE_A) - 1
MAXARG_B = (1 << SIZE_B) - 1
MAXARG_C = (1 << SIZE_C) - 1
MAXARG_Bx = (1 << SIZE_Bx) - 1
MAXARG_Ax = (1 << SIZE_Ax) - 1
MAXARG_sJ = (1 << SIZE_sJ) - 1
OFFSET_sBx = MAXARG_Bx >> 1
OFFSET_sJ = MAXARG_sJ >> 1
OFFSET_sC = MAXARG_C >> 1
NO_REG = MAXARG_A
MAXINDEXRK = MAXARG_B
# Items flushed to a table per OP_SETLIST (lopcodes.h LFIELDS_PER_FLUSH).
LFIELDS_PER_FLUSH = 50

# Instruction formats.
iABC, iABx, iAsBx, iAx, isJ = range(5)

# (name, format, sets A, is a test (next is a jump), uses top (IT), sets top (OT), is MM)
# followed by the semantics, as in lopcodes.h.
_OPCODES = [
    ("MOVE", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B]
    ("LOADI", iAsBx, 1, 0, 0, 0, 0),      # R[A] := sBx
    ("LOADF", iAsBx, 1, 0, 0, 0, 0),      # R[A] := (float)sBx
    ("LOADK", iABx, 1, 0, 0, 0, 0),       # R[A] := K[Bx]
    ("LOADKX", iABx, 1, 0, 0, 0, 0),      # R[A] := K[extra arg]
    ("LOADFALSE", iABC, 1, 0, 0, 0, 0),   # R[A] := false
    ("LFALSESKIP", iABC, 1, 0, 0, 0, 0),  # R[A] := false; pc++
    ("LOADTRUE", iABC, 1, 0, 0, 0, 0),    # R[A] := true
    ("LOADNIL", iABC, 1, 0, 0, 0, 0),     # R[A], R[A+1], ..., R[A+B] := nil
    ("GETUPVAL", iABC, 1, 0, 0, 0, 0),    # R[A] := UpValue[B]
    ("SETUPVAL", iABC, 0, 0, 0, 0, 0),    # UpValue[B] := R[A]
    ("GETTABUP", iABC, 1, 0, 0, 0, 0),    # R[A] := UpValue[B][K[C]:shortstring]
    ("GETTABLE", iABC, 1, 0, 0, 0, 0),    # R[A] := R[B][R[C]]
    ("GETI", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B][C]
    ("GETFIELD", iABC, 1, 0, 0, 0, 0),    # R[A] := R[B][K[C]:shortstring]
    ("SETTABUP", iABC, 0, 0, 0, 0, 0),    # UpValue[A][K[B]:shortstring] := RK(C)
    ("SETTABLE", iABC, 0, 0, 0, 0, 0),    # R[A][R[B]] := RK(C)
    ("SETI", iABC, 0, 0, 0, 0, 0),        # R[A][B] := RK(C)
    ("SETFIELD", iABC, 0, 0, 0, 0, 0),    # R[A][K[B]:shortstring] := RK(C)
    ("NEWTABLE", iABC, 1, 0, 0, 0, 0),    # R[A] := {} (B: hash size log, C: array size, k: EXTRAARG)
    ("SELF", iABC, 1, 0, 0, 0, 0),        # R[A+1] := R[B]; R[A] := R[B][RK(C):string]
    ("ADDI", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] + sC
    ("ADDK", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] + K[C]:number
    ("SUBK", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] - K[C]:number
    ("MULK", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] * K[C]:number
    ("MODK", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] % K[C]:number
    ("POWK", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] ^ K[C]:number
    ("DIVK", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] / K[C]:number
    ("IDIVK", iABC, 1, 0, 0, 0, 0),       # R[A] := R[B] // K[C]:number
    ("BANDK", iABC, 1, 0, 0, 0, 0),       # R[A] := R[B] & K[C]:integer
    ("BORK", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] | K[C]:integer
    ("BXORK", iABC, 1, 0, 0, 0, 0),       # R[A] := R[B] ~ K[C]:integer
    ("SHRI", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] >> sC
    ("SHLI", iABC, 1, 0, 0, 0, 0),        # R[A] := sC << R[B]
    ("ADD", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] + R[C]
    ("SUB", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] - R[C]
    ("MUL", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] * R[C]
    ("MOD", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] % R[C]
    ("POW", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] ^ R[C]
    ("DIV", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] / R[C]
    ("IDIV", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] // R[C]
    ("BAND", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] & R[C]
    ("BOR", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] | R[C]
    ("BXOR", iABC, 1, 0, 0, 0, 0),        # R[A] := R[B] ~ R[C]
    ("SHL", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] << R[C]
    ("SHR", iABC, 1, 0, 0, 0, 0),         # R[A] := R[B] >> R[C]
    ("MMBIN", iABC, 0, 0, 0, 0, 1),       # call C metamethod over R[A] and R[B]
    ("MMBINI", iABC, 0, 0, 0, 0, 1),      # call C metamethod over R[A] and sB (k: flip)
    ("MMBINK", iABC, 0, 0, 0, 0, 1),      # call C metamethod over R[A] and K[B] (k: flip)
    ("UNM", iABC, 1, 0, 0, 0, 0),         # R[A] := -R[B]
    ("BNOT", iABC, 1, 0, 0, 0, 0),        # R[A] := ~R[B]
    ("NOT", iABC, 1, 0, 0, 0, 0),         # R[A] := not R[B]
    ("LEN", iABC, 1, 0, 0, 0, 0),         # R[A] := #R[B] (length operator)
    ("CONCAT", iABC, 1, 0, 0, 0, 0),      # R[A] := R[A].. ... ..R[A + B - 1]
    ("CLOSE", iABC, 0, 0, 0, 0, 0),       # close all upvalues >= R[A]
    ("TBC", iABC, 0, 0, 0, 0, 0),         # mark variable A "to be closed"
    ("JMP", isJ, 0, 0, 0, 0, 0),          # pc += sJ
    ("EQ", iABC, 0, 1, 0, 0, 0),          # if ((R[A] == R[B]) ~= k) then pc++
    ("LT", iABC, 0, 1, 0, 0, 0),          # if ((R[A] <  R[B]) ~= k) then pc++
    ("LE", iABC, 0, 1, 0, 0, 0),          # if ((R[A] <= R[B]) ~= k) then pc++
    ("EQK", iABC, 0, 1, 0, 0, 0),         # if ((R[A] == K[B]) ~= k) then pc++
    ("EQI", iABC, 0, 1, 0, 0, 0),         # if ((R[A] == sB) ~= k) then pc++
    ("LTI", iABC, 0, 1, 0, 0, 0),         # if ((R[A] < sB) ~= k) then pc++
    ("LEI", iABC, 0, 1, 0, 0, 0),         # if ((R[A] <= sB) ~= k) then pc++
    ("GTI", iABC, 0, 1, 0, 0, 0),         # if ((R[A] > sB) ~= k) then pc++
    ("GEI", iABC, 0, 1, 0, 0, 0),         # if ((R[A] >= sB) ~= k) then pc++
    ("TEST", iABC, 0, 1, 0, 0, 0),        # if (not R[A] == k) then pc++
    ("TESTSET", iABC, 1, 1, 0, 0, 0),     # if (not R[B] == k) then pc++ else R[A] := R[B]
    ("CALL", iABC, 1, 0, 1, 1, 0),        # R[A], ... ,R[A+C-2] := R[A](R[A+1], ... ,R[A+B-1])
    ("TAILCALL", iABC, 1, 0, 1, 1, 0),    # return R[A](R[A+1], ... ,R[A+B-1])
    ("RETURN", iABC, 0, 0, 1, 0, 0),      # return R[A], ... ,R[A+B-2]
    ("RETURN0", iABC, 0, 0, 0, 0, 0),     # return
    ("RETURN1", iABC, 0, 0, 0, 0, 0),     # return R[A]
    ("FORLOOP", iABx, 1, 0, 0, 0, 0),     # update counters; if loop continues then pc-=Bx
    ("FORPREP", iABx, 1, 0, 0, 0, 0),     # check values and prepare counters; if not to run then pc+=Bx+1
    ("TFORPREP", iABx, 0, 0, 0, 0, 0),    # create upvalue for R[A + 3]; pc+=Bx
    ("TFORCALL", iABC, 0, 0, 0, 0, 0),    # R[A+4], ... ,R[A+3+C] := R[A](R[A+1], R[A+2])
    ("TFORLOOP", iABx, 1, 0, 0, 0, 0),    # if R[A+2] ~= nil then { R[A]=R[A+2]; pc -= Bx }
    ("SETLIST", iABC, 0, 0, 1, 0, 0),     # R[A][C+i] := R[A+i], 1 <= i <= B
    ("CLOSURE", iABx, 1, 0, 0, 0, 0),     # R[A] := closure(KPROTO[Bx])
    ("VARARG", iABC, 1, 0, 0, 1, 0),      # R[A], R[A+1], ..., R[A+C-2] = vararg
    ("VARARGPREP", iABC, 1, 0, 1, 0, 0),  # (adjust vararg parameters)
    ("EXTRAARG", iAx, 0, 0, 0, 0, 0),     # extra (larger) argument for previous opcode
]

OPNAMES = [entry[0] for entry in _OPCODES]
OPMODES = [entry[1] for entry in _OPCODES]
TESTA_MODE = [entry[2] for entry in _OPCODES]
TESTT_MODE = [entry[3] for entry in _OPCODES]
TESTIT_MODE = [entry[4] for entry in _OPCODES]
TESTOT_MODE = [entry[5] for entry in _OPCODES]
TESTMM_MODE = [entry[6] for entry in _OPCODES]
NUM_OPCODES = len(_OPCODES)

# OP_MOVE = 0, OP_LOADI = 1, ... as module constants.
for _i, _name in enumerate(OPNAMES):
    globals()["OP_" + _name] = _i
del _i, _name

OP_MOVE: int; OP_LOADI: int; OP_LOADF: int; OP_LOADK: int; OP_LOADKX: int
OP_LOADFALSE: int; OP_LFALSESKIP: int; OP_LOADTRUE: int; OP_LOADNIL: int
OP_GETUPVAL: int; OP_SETUPVAL: int; OP_GETTABUP: int; OP_GETTABLE: int; OP_GETI: int
OP_GETFIELD: int; OP_SETTABUP: int; OP_SETTABLE: int; OP_SETI: int; OP_SETFIELD: int
OP_NEWTABLE: int; OP_SELF: int; OP_ADDI: int; OP_ADDK: int; OP_SUBK: int; OP_MULK: int
OP_MODK: int; OP_POWK: int; OP_DIVK: int; OP_IDIVK: int; OP_BANDK: int; OP_BORK: int
OP_BXORK: int; OP_SHRI: int; OP_SHLI: int; OP_ADD: int; OP_SUB: int; OP_MUL: int
OP_MOD: int; OP_POW: int; OP_DIV: int; OP_IDIV: int; OP_BAND: int; OP_BOR: int
OP_BXOR: int; OP_SHL: int; OP_SHR: int; OP_MMBIN: int; OP_MMBINI: int; OP_MMBINK: int
OP_UNM: int; OP_BNOT: int; OP_NOT: int; OP_LEN: int; OP_CONCAT: int; OP_CLOSE: int
OP_TBC: int; OP_JMP: int; OP_EQ: int; OP_LT: int; OP_LE: int; OP_EQK: int; OP_EQI: int
OP_LTI: int; OP_LEI: int; OP_GTI: int; OP_GEI: int; OP_TEST: int; OP_TESTSET: int
OP_CALL: int; OP_TAILCALL: int; OP_RETURN: int; OP_RETURN0: int; OP_RETURN1: int
OP_FORLOOP: int; OP_FORPREP: int; OP_TFORPREP: int; OP_TFORCALL: int; OP_TFORLOOP: int
OP_SETLIST: int; OP_CLOSURE: int; OP_VARARG: int; OP_VARARGPREP: int; OP_EXTRAARG: int


def get_op(i: int) -> int:
    return i & 0x7F


def getarg_A(i: int) -> int:
    return (i >> POS_A) & MAXARG_A


def getarg_B(i: int) -> int:
    return (i >> POS_B) & MAXARG_B


def getarg_C(i: int) -> int:
    return (i >> POS_C) & MAXARG_C


def getarg_k(i: int) -> int:
    return (i >> POS_k) & 1


def getarg_Bx(i: int) -> int:
    return (i >> POS_Bx) & MAXARG_Bx


def getarg_sBx(i: int) -> int:
    return getarg_Bx(i) - OFFSET_sBx


def getarg_Ax(i: int) -> int:
    return (i >> POS_Ax) & MAXARG_Ax


def getarg_sJ(i: int) -> int:
    return ((i >> POS_sJ) & MAXARG_sJ) - OFFSET_sJ


def getarg_sB(i: int) -> int:
    return getarg_B(i) - OFFSET_sC


def getarg_sC(i: int) -> int:
    return getarg_C(i) - OFFSET_sC


def create_ABCk(op: int, a: int, b: int, c: int, k: int) -> int:
    return op | (a << POS_A) | (b << POS_B) | (c << POS_C) | (k << POS_k)


def create_ABx(op: int, a: int, bx: int) -> int:
    return op | (a << POS_A) | (bx << POS_Bx)


def create_Ax(op: int, ax: int) -> int:
    return op | (ax << POS_Ax)


def create_sJ(op: int, j: int, k: int) -> int:
    return op | ((j + OFFSET_sJ) << POS_sJ) | (k << POS_k)


def setarg_A(i: int, v: int) -> int:
    return (i & ~(MAXARG_A << POS_A)) | (v << POS_A)


def setarg_B(i: int, v: int) -> int:
    return (i & ~(MAXARG_B << POS_B)) | (v << POS_B)


def setarg_C(i: int, v: int) -> int:
    return (i & ~(MAXARG_C << POS_C)) | (v << POS_C)


def setarg_k(i: int, v: int) -> int:
    return (i & ~(1 << POS_k)) | (v << POS_k)


def setarg_Bx(i: int, v: int) -> int:
    return (i & ~(MAXARG_Bx << POS_Bx)) | (v << POS_Bx)


def setarg_sJ(i: int, j: int) -> int:
    return (i & ~(MAXARG_sJ << POS_sJ)) | ((j + OFFSET_sJ) << POS_sJ)


def set_op(i: int, op: int) -> int:
    return (i & ~0x7F) | op
