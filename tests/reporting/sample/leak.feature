Feature: Reporting leak sample
  Plants deliberate leaks: one the scrubbers mask before anything is written, one written behind the harness's back
  that the gate must catch.

  Scenario: A careless step attaches the client secret
    Given a careless step attaches the client secret in clear

  Scenario: A careless step writes the client secret to a log in the reports folder
    Given a careless step writes the client secret, form-encoded, to a log in the reports folder

  Scenario: A careless check puts the client secret in its failure message
    Then the secret is compared with a wrong value
