"""The VM's dispatch uses literal opcode numbers for speed; each is labelled with its
name. This keeps the labels and numbers honest against opcodes.py."""
import re
from pathlib import Path

from pylua import opcodes


def test_dispatch_literals_match_opcode_names():
    src = Path(__file__).resolve().parent.parent.joinpath("pylua", "vm.py").read_text()
    checked = 0
    for m in re.finditer(r"op == (\d+)(?: or op == (\d+))?(?: or op == (\d+))?:\s+# ([A-Z0-9, ]+)", src):
        numbers = [int(g) for g in m.groups()[:3] if g]
        names = [n.strip() for n in m.group(4).split(",")]
        assert [opcodes.OPNAMES[n] for n in numbers] == names, m.group(0)
        checked += 1
    for m in re.finditer(r"op >= (\d+) and op <= (\d+):\s+# (.*)", src):
        lo, hi = int(m.group(1)), int(m.group(2))
        names = re.findall(r"\b[A-Z][A-Z0-9]+\b", m.group(3))
        assert (opcodes.OPNAMES[lo], opcodes.OPNAMES[hi]) == (names[0], names[-1]), m.group(0)
        checked += 1
    assert checked >= 50
