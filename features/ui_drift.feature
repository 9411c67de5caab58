@drift @epic:Business_Central_OAuth @story:6_UI_drift_check @severity:critical
Feature: UI drift check before a nightly live run
  The real UIs change without notice. Before the nightly live run QA runs this check (`pytest -m drift`, or
  `bcoauth doctor`): it signs in to each UI and, read-only, visits every page the procedure touches, counting each
  element the procedure uses: found (exactly one), missing (none) or ambiguous (more than one). It creates
  nothing: forms are opened and never submitted, cards are opened and never edited. A missing element is named
  with its page, to fix before the nightly run fails on it.

  Scenario: Every page the procedure touches still shows the elements the procedure uses
    When the drift check visits the Azure portal
    And the drift check visits Business Central
    And the drift check visits the Dynamics Mobile Portal
    Then the drift table is in the report
    And no element the procedure uses is missing
