@severity:critical @epic:Reporting_sample @issue:42
Feature: Reporting sample
  A tiny feature that exercises every kind of evidence the reporting plugin attaches.

  @story:Evidence @tms:TC-7 @golden
  Scenario: A page step, a token call and a discrepancy
    Given the sign-in callback page is open
    And the operator saves the client secret
    When the app asks the token service for a token
    Then the token response carries the expected claims
    And the guide discrepancy is noted

  @story:Failure
  Scenario: A failing UI check
    Given the sign-in callback page is open
    And the operator saves the client secret
    Then the page shows the heading "Something the page does not show"

  @story:Titles
  Scenario Outline: A number from an Examples row
    Then the number <n> is positive

    Examples:
      | n |
      | 1 |
      | 2 |
