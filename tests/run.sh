#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need when it
# is missing (idempotent), builds the Cython-compiled modules in place, then runs
# pytest on every core twice: compiled, and pure Python (PYLUA_PURE=1).
# Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
# pure-Lua libraries that tests/test_thirdparty.py runs under both interpreters
THIRDPARTY_LUA="lua-dkjson lua-inspect lua-argparse lua-moses lua-luassert lua-say lua-ansicolors lua-penlight"
MISSING_LUA=$(for pkg in $THIRDPARTY_LUA; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || echo "$pkg"; done)
if ! command -v lua5.4 >/dev/null 2>&1 || [ -n "$MISSING_LUA" ]; then
  $SUDO apt-get update
  # shellcheck disable=SC2086  # one package name per word
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y lua5.4 $MISSING_LUA
fi
# The MCP test server tests/test_mcp.py runs (stdio, SSE and streamable HTTP), installed
# with npm into a cache outside the repo, once; the tests find it through this variable.
EVERYTHING_VERSION=2026.8.31
EVERYTHING_DIR=${PYLUA_NPM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pylua-tests/npm}/server-everything-$EVERYTHING_VERSION
export MCP_SERVER_EVERYTHING="$EVERYTHING_DIR/node_modules/.bin/mcp-server-everything"
if [ ! -x "$MCP_SERVER_EVERYTHING" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
  fi
  mkdir -p "$EVERYTHING_DIR"
  npm install --prefix "$EVERYTHING_DIR" --no-audit --no-fund --loglevel=error \
    "@modelcontextprotocol/server-everything@$EVERYTHING_VERSION"
fi
node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 18 ? 1 : 0)' ||
  echo "tests/run.sh: server-everything needs Node.js 18 or later (this is $(node --version))" >&2
# builds the compiled modules too (setup.py; about a minute on 2 cores the first time)
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[test]"
# Bytecode for our own modules: with PYTHONDONTWRITEBYTECODE set (as on CI) every
# pylua process the tests start would otherwise recompile them (~0.3 s each).
"$PYTHON" -m compileall -q pylua

status=0
for mode in compiled pure; do
  echo "tests/run.sh: $mode modules" >&2
  start=$SECONDS
  mode_status=0
  if [ "$mode" = pure ]; then
    PYLUA_PURE=1 "$PYTHON" -m pytest -n auto "$@" || mode_status=$?
  else
    env -u PYLUA_PURE "$PYTHON" -m pytest -n auto "$@" || mode_status=$?
  fi
  echo "tests/run.sh: $mode modules: exit status $mode_status in $((SECONDS - start)) s" >&2
  if [ "$mode_status" -eq 5 ]; then
    echo "tests/run.sh: pytest collected no tests" >&2
  fi
  [ "$mode_status" -eq 0 ] || status=$mode_status
done
exit "$status"
