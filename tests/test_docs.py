"""Every example of the user guide (docs/*.md) runs as written, offline.

Fenced blocks by their info string:
  ```lua / ```python / ```sh   run (`pylua script.lua`, Python, bash) in a fresh directory
                               per page,
                               with no API keys or PYLUA_ variables: agents use `mock`;
  ```text                      right after a run block: that block's exact stdout;
  ```<lang> file=NAME          written to NAME in the page's directory, not run
                               (a pylua.toml, a module to require);
  ```<lang> fragment           a piece not meant to run on its own: counted, not run.
Any other fence (toml, ...) without file= is an error, so nothing is skipped silently.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCS = REPO_ROOT / "docs"
FENCE = re.compile(r"^```([^\n`]*)\n(.*?)^```\s*$", re.M | re.S)
RUNNERS = {"lua": ["pylua"], "python": [sys.executable], "sh": ["bash"]}


@dataclass
class Block:
    page: str
    line: int
    lang: str
    option: str          # "", "fragment" or "file=NAME"
    code: str
    expected: str | None = None

    @property
    def name(self) -> str:
        return f"{self.page}:{self.line}"


def parse(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    blocks: list[Block] = []
    for m in FENCE.finditer(text):
        words = m.group(1).split()
        lang, option = (words + ["", ""])[:2] if words else ("", "")
        line = text.count("\n", 0, m.start()) + 1
        if lang == "text":
            previous = blocks[-1] if blocks else None
            assert previous and previous.option == "" and previous.expected is None, \
                f"{page.name}:{line}: a text block must follow a block that runs"
            previous.expected = m.group(2)
            continue
        blocks.append(Block(page.name, line, lang, option, m.group(2)))
    return blocks


def pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


ALL = [b for p in pages() for b in parse(p)]


def clean_env(bin_dir: Path) -> dict[str, str]:
    """No keys, no configuration; `pylua` (and Python's `import pylua`) is this checkout."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYLUA_") and "API_KEY" not in k and not k.endswith("_BASE_URL")}
    if "PYLUA_PURE" in os.environ:      # the mode under test is kept
        env["PYLUA_PURE"] = os.environ["PYLUA_PURE"]
    env["PYTHONPATH"] = str(REPO_ROOT)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_every_block_is_classified():
    kinds = {"run": 0, "file": 0, "fragment": 0}
    for b in ALL:
        if b.option == "fragment":
            kinds["fragment"] += 1
        elif b.option.startswith("file="):
            kinds["file"] += 1
        else:
            assert b.option == "" and b.lang in RUNNERS, \
                f"{b.name}: ```{b.lang} {b.option}: neither runnable, file= nor fragment"
            kinds["run"] += 1
    print(f"docs: {kinds['run']} examples run, {kinds['file']} files, "
          f"{kinds['fragment']} fragments")
    assert kinds["run"] >= 40      # the guide as written today: none may go missing


@pytest.fixture(scope="module")
def workdirs(tmp_path_factory):
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "pylua"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pylua "$@"\n')
    shim.chmod(0o755)
    dirs = {"bin": bin_dir}
    for page in pages():
        d = tmp_path_factory.mktemp(page.stem)
        for b in parse(page):
            if b.option.startswith("file="):
                (d / b.option[5:]).write_text(b.code, encoding="utf-8")
        dirs[page.name] = d
    return dirs


RUNNABLE = [b for b in ALL if b.option == "" and b.lang in RUNNERS]


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.name for b in RUNNABLE])
def test_example_runs(block: Block, workdirs):
    cwd = workdirs[block.page]
    if block.lang == "lua":             # saved as script.lua, as the guide says
        (cwd / "script.lua").write_text(block.code, encoding="utf-8")
        cmd = RUNNERS["lua"] + ["script.lua"]
    else:
        cmd = RUNNERS[block.lang] + ["-c", block.code]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60,
                          cwd=cwd, env=clean_env(workdirs["bin"]))
    assert proc.returncode == 0, f"{block.name} failed:\n{proc.stderr}"
    if block.expected is not None:
        assert proc.stdout == block.expected, f"{block.name}: output differs"
