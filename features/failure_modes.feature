@failure_modes @epic:Business_Central_OAuth @story:5_Failure_modes @severity:normal
Feature: Failure modes of the procedure and their diagnostics
  When the nightly run fails, QA must know which step of the procedure is wrong. Each scenario makes one mistake
  a real administrator makes, enters the connection in the Dynamics Mobile Portal as the procedure says, and
  checks the connection with the values read back from the Portal: the run must surface the exact AADSTS or
  Business Central code and a one-line fix naming the UI and the field to correct.

  Background:
    Given the administrator is signed in to the Dynamics Mobile Portal application area
    When the administrator opens the application "ADM" from the Application Selector
    And the administrator opens the roles list from the left menu
    And the administrator creates the agent role, or keeps it when it already exists

  Scenario Outline: <mistake>
    Given <mistake>
    When the administrator opens the agent role again
    And the administrator opens the role's Settings and its AGENT section
    And the administrator selects "SaaS" as Agent Deployment Type
    And the administrator opens the Backend Connection section
    And the administrator selects "Microsoft Dynamics 365 Business Central" as Connection Type
    And the administrator selects "Microsoft Cloud" as Business Central Deployment Type
    And the administrator enters the Tenant Id and the Environment Id
    And the administrator enters the Client Id
    And the administrator enters the Client Secret
    And the administrator enters the Company
    And the administrator clicks UPDATE on top
    And the connection is checked with the values read back from the Portal
    Then the check fails at the <stage> with code "<code>"
    And the fix points to "<where>"

    # Live too: the apps come from the session's own run of the procedure (a second app without consent, one
    # not added to Business Central, one left Disabled there); the wrong values are typed into the Portal.
    # One mistake per stage that can refuse the connection (identity provider, Business Central API, company).
    Examples:
      | mistake                                                     | stage                | code                              | where                            |
      | the administrator did not grant admin consent               | Business Central API | Authentication_InvalidCredentials | Grant admin consent              |
      | the administrator pasted the Secret ID instead of the Value | identity provider    | AADSTS7000215                     | Client Secret                    |
      | the administrator typed a wrong Company                     | company              | CompanyNotListed                  | Dynamics Mobile Portal > Company |

    # More mistakes at the same stages (the full suite; `make test` runs the three above).
    @slow
    Examples:
      | mistake                                                     | stage                | code                              | where                            |
      | the administrator left the app Disabled in Business Central | Business Central API | Authentication_InvalidCredentials | Microsoft Entra Applications     |
      | the administrator never added the app to Business Central   | Business Central API | Authentication_InvalidCredentials | Microsoft Entra Applications     |
      | the administrator typed a wrong Environment Id              | Business Central API | BadRequest_NotFound               | Environment Id                   |
      | the administrator made a typo in the Tenant Id              | identity provider    | AADSTS90002                       | Tenant Id                        |

    # Only the sandbox clock can move past a secret's end date: a real one lasts at least the day it was made.
    @sandbox_only @slow
    Examples:
      | mistake                                                     | stage                | code                              | where                            |
      | the client secret has expired                               | identity provider    | AADSTS7000222                     | New client secret                |
