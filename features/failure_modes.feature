@failure_modes @epic:Business_Central_OAuth @story:5_Failure_modes @severity:normal
Feature: Failure modes of the procedure and their diagnostics
  When the nightly run fails, QA must know which step of the procedure is wrong. Each scenario makes one mistake
  a real administrator makes, enters the connection in the Dynamics Mobile Portal as the procedure says, and
  checks the connection with the values read back from the Portal: the run must surface the exact AADSTS or
  Business Central code and a one-line fix naming the UI and the field to correct.

  Background:
    Given I am signed in to the Dynamics Mobile Portal application area
    When I open the application "ADM" from the Application Selector
    And I open the roles list from the left menu
    And I create the agent role, or keep it when it already exists

  @sandbox_only
  Scenario Outline: <mistake>
    Given <mistake>
    When I open the agent role again
    And I open the role's Settings and its AGENT section
    And I select "SaaS" as Agent Deployment Type
    And I open the Backend Connection section
    And I select "Microsoft Dynamics 365 Business Central" as Connection Type
    And I select "Microsoft Cloud" as Business Central Deployment Type
    And I enter the Tenant Id and the Environment Id
    And I enter the Client Id
    And I enter the Client Secret
    And I enter the Company
    And I click UPDATE on top
    And the connection is checked with the values read back from the Portal
    Then the check fails at the <stage> with code "<code>"
    And the fix points to "<where>"

    Examples:
      | mistake                                                     | stage                | code                              | where                            |
      | the administrator did not grant admin consent               | Business Central API | Authentication_InvalidCredentials | Grant admin consent              |
      | the administrator pasted the Secret ID instead of the Value | identity provider    | AADSTS7000215                     | Client Secret                    |
      | the client secret has expired                               | identity provider    | AADSTS7000222                     | New client secret                |
      | the administrator left the app Disabled in Business Central | Business Central API | Authentication_InvalidCredentials | Microsoft Entra Applications     |
      | the administrator never added the app to Business Central   | Business Central API | Authentication_InvalidCredentials | Microsoft Entra Applications     |
      | the administrator typed a wrong Environment Id              | Business Central API | BadRequest_NotFound               | Environment Id                   |
      | the administrator typed a wrong Company                     | company              | CompanyNotListed                  | Dynamics Mobile Portal > Company |
      | the administrator made a typo in the Tenant Id              | identity provider    | AADSTS90002                       | Tenant Id                        |
