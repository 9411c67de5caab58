Feature: Reporting leak sample
  Plants a deliberate leak so the gate can prove it fails the run.

  Scenario: A careless step attaches the client secret
    Given a careless step attaches the client secret in clear

  Scenario: A careless check puts the client secret in its failure message
    Then the secret is compared with a wrong value
