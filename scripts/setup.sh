#!/usr/bin/env bash
# Everything `make e2e` and `make test` need on a fresh Debian machine. Idempotent; quick the second time.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.installed

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PY" -m venv "$VENV"
fi
if [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
  echo "setup: installing the harness and its Python dependencies"
  log=$VENV/install.log
  { "$VENV/bin/pip" install -q --upgrade pip && "$VENV/bin/pip" install -q -e '.[dev]'; } >"$log" 2>&1 || {
    cat "$log" >&2; echo "setup: pip install failed (log above, also in $log)" >&2; exit 2; }
  touch "$STAMP"
fi

# A browser: Playwright's own Chromium, else Debian's, else install one.
if ! "$VENV/bin/python" -c "from harness.browser import find_browser; find_browser()" 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    "$VENV/bin/python" -m playwright install chromium || true
  fi
  "$VENV/bin/python" -c "from harness.browser import find_browser; find_browser()" 2>/dev/null || {
    echo "setup: no Chromium available: install Debian's chromium (apt-get install chromium) or set BROWSER_PATH" >&2
    exit 2
  }
fi

# certutil (NSS tools): tests/cli/test_live_target_on_twins.py trusts the twins' CA the way a live run trusts a
# corporate CA. Optional: without it that one test is skipped.
if ! command -v certutil >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "setup: installing libnss3-tools (certutil)"
  { apt-get install -y -qq libnss3-tools || { apt-get update -qq && apt-get install -y -qq libnss3-tools; }; } \
    >/dev/null 2>&1 || echo "setup: libnss3-tools not installed; the live-on-twins test will be skipped" >&2
fi

# The pinned Allure 3 report generator (npm, works offline once installed).
if [ ! -x node_modules/.bin/allure ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  if command -v npm >/dev/null; then
    echo "setup: installing the pinned Allure 3 (npm)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  else
    echo "setup: npm not found: the HTML report needs Node.js 20+ and npm (apt-get install nodejs npm)" >&2
    exit 2
  fi
fi
