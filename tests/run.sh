#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need when it
# is missing (idempotent), then runs pytest on every core.  Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! command -v lua5.4 >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y lua5.4
fi
"$PYTHON" -m pip install --quiet --disable-pip-version-check -e ".[test]"
# Bytecode for our own modules: with PYTHONDONTWRITEBYTECODE set (as on CI) every
# pylua process the tests start would otherwise recompile them (~0.3 s each).
"$PYTHON" -m compileall -q pylua

status=0
"$PYTHON" -m pytest -n auto "$@" || status=$?
if [ "$status" -eq 5 ]; then
  echo "tests/run.sh: pytest collected no tests" >&2
fi
exit "$status"
