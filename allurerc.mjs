// Allure 3 configuration for `make report`: one self-contained HTML file that opens from disk.
export default {
  name: "Business Central OAuth — Dynamics Mobile procedure",
  output: "reports/allure-report",
  historyPath: "reports/allure-history.jsonl",
  plugins: {
    awesome: {
      options: {
        singleFile: true,
        reportLanguage: "en",
        groupBy: ["epic", "feature", "story"],
      },
    },
  },
};
