#!/usr/bin/env bash
# Build the single-file Allure 3 HTML report from reports/allure-results (history kept in reports/).
set -euo pipefail
cd "$(dirname "$0")/.."
REPORTS=${1:-reports}
[ -d "$REPORTS/allure-results" ] || { echo "report: no $REPORTS/allure-results (run make e2e first)" >&2; exit 2; }
node_modules/.bin/allure generate "$REPORTS/allure-results" --config allurerc.mjs -o "$REPORTS/allure-report" >/dev/null
echo "report: $REPORTS/allure-report/index.html"
