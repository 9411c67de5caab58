#!/usr/bin/env bash
# Build the single-file Allure 3 HTML report from $REPORTS/allure-results (history kept in $REPORTS/), make sure it
# cannot phone home, and scan it (and the rest of the run's artifacts) for anything shaped like an Entra client
# secret, in any encoding the leak scan can undo.
set -euo pipefail
cd "$(dirname "$0")/.."
REPORTS=${1:-reports}
RESULTS="$REPORTS/allure-results"
OUT="$REPORTS/allure-report"
[ -d "$RESULTS" ] || { echo "report: no $RESULTS (run make e2e first)" >&2; exit 2; }
[ -x node_modules/.bin/allure ] || { echo "report: Allure 3 is not installed (run make setup)" >&2; exit 2; }
export REPORTS
rm -rf "$OUT"
node_modules/.bin/allure generate "$RESULTS" --config allurerc.mjs -o "$OUT" >"$REPORTS/allure-generate.log" 2>&1 \
  || { cat "$REPORTS/allure-generate.log" >&2; echo "report: allure generate failed" >&2; exit 1; }
HTML="$OUT/index.html"
[ -s "$HTML" ] || { echo "report: $HTML was not produced" >&2; exit 1; }
# Allure 3.18's Awesome plugin always embeds Google Analytics (gtag; allure3 issue #476). Strip the loader script
# and the inline gtag(...) bootstrap so the report never contacts Google when opened online.
.venv/bin/python - "$HTML" <<'PY'
import re, sys
from pathlib import Path
path = Path(sys.argv[1])
html = path.read_text(encoding="utf-8")
cleaned = re.sub(r'<script[^>]*googletagmanager\.com[^>]*>\s*</script>', "", html)
cleaned = re.sub(r"<script>(?:(?!</script>).)*?\bgtag\((?:(?!</script>).)*</script>", "", cleaned, flags=re.S)
path.write_text(cleaned, encoding="utf-8")
left = len(re.findall(r"googletagmanager|gtag\(", cleaned))
print(f"report: analytics stripped ({len(html) - len(cleaned)} bytes removed, {left} reference(s) left)")
PY
# The secret values are gone once pytest has ended (they are never written to disk), so the report and everything
# else a run leaves (allure-results, the HTML, logs, test-results/) are checked for the Entra secret *shape*, after
# decoding what they hold (zip members, gzip/deflate, base64 at every alignment, percent/form, HTML and JSON
# escapes); allure-results and test-results were already searched by value when the pytest session ended.
TEST_RESULTS=${TEST_RESULTS:-test-results}
SCAN=("$REPORTS")
[ -d "$TEST_RESULTS" ] && SCAN+=("$TEST_RESULTS")
# A leak exits 10, as the pytest session's own gate does (harness/reporting/exit_codes.py): never mistaken for a
# failed test.
.venv/bin/python -m harness.leak_scan "${SCAN[@]}" --shape entra-secret || { rc=$?; [ "$rc" -eq 1 ] && exit 10; exit "$rc"; }
echo "report: $HTML ($(du -h "$HTML" | cut -f1))"
