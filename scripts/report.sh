#!/usr/bin/env bash
# Build the single-file Allure 3 HTML report from $REPORTS/allure-results (history kept in $REPORTS/), make sure it
# cannot phone home, and scan it for anything shaped like an Entra client secret.
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
# The secret values are gone once pytest has ended (they are never written to disk), so the HTML is checked for the
# Entra secret *shape*; its content comes from allure-results, which the pytest session already scanned by value.
.venv/bin/python -m harness.leak_scan "$HTML" --shape entra-secret
echo "report: $HTML"
