#!/usr/bin/env bash
# Run the golden path N times against the sandbox in the `chaos` profile (lag, ~10 % 429/503, slow pages)
# and print the pass count. Each run is a fresh pytest session with a fresh sandbox.
set -uo pipefail
cd "$(dirname "$0")/.."
N=${1:-20}
case "$N" in ''|*[!0-9]*) echo "soak: N must be a whole number (make soak N=20)" >&2; exit 2;; esac
mkdir -p reports/soak
passed=0
for i in $(seq 1 "$N"); do
  start=$(date +%s)
  if SANDBOX_PROFILE=chaos .venv/bin/python -m pytest tests/e2e -m 'golden and not chaos' -q -p no:cacheprovider \
      --junitxml="reports/soak/run-$i.xml" > "reports/soak/run-$i.log" 2>&1; then
    passed=$((passed + 1)); verdict=passed
  else
    verdict="FAILED (see reports/soak/run-$i.log)"
  fi
  echo "soak: run $i/$N $verdict in $(( $(date +%s) - start )) s"
done
echo "soak: $passed/$N passed"
[ "$passed" -eq "$N" ]
