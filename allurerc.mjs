// Allure 3 configuration for `make report`: one self-contained HTML file that opens from disk (file://).
// Paths follow REPORTS (default "reports"), set by scripts/report.sh. Categories come from the same file the
// pytest plugin copies into allure-results/categories.json, so both readers agree.
import { readFileSync } from "node:fs";

const reports = process.env.REPORTS || "reports";
const categories = JSON.parse(readFileSync(new URL("./harness/allure_categories.json", import.meta.url), "utf-8"));

export default {
  name: "Business Central OAuth — Dynamics Mobile procedure",
  output: `${reports}/allure-report`,
  historyPath: `${reports}/allure-history.jsonl`,
  historyLimit: 30,
  // Allure 3 rules: name + matchers ({statuses, message}); the legacy keys (matchedStatuses, messageRegex) are
  // accepted as a compatibility form and must not be mixed with `matchers`.
  categories: {
    rules: categories.map(({ name, matchedStatuses, messageRegex }) => ({ name, matchedStatuses, messageRegex })),
  },
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: "en",
        // Epic → feature → scenario: each feature has one story tag (its place in the procedure), so a story level
        // would repeat the feature; the story stays a label on each result.
        groupBy: ["epic", "feature"],
      },
    },
  },
};
