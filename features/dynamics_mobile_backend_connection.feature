@dynamics_mobile @epic:Business_Central_OAuth @story:3_Dynamics_Mobile_Portal @severity:critical
Feature: Dynamics Mobile Portal backend connection to Business Central
  The Dynamics Mobile SaaS agent reads its Business Central connection from the Portal role DMSAGENT
  (procedure "Dynamics Mobile Portal Configuration", steps 1-15). The values come from the app registration;
  the Portal must keep them, hide the secret, and they must work against Business Central.

  @ui @smoke
  Scenario: The agent role keeps the backend connection and Business Central accepts it
    Given an app registration whose client secret Business Central accepts
    And I am signed in to the Dynamics Mobile Portal application area
    When I open the application "ADM" from the Application Selector
    And I open the roles list from the left menu
    And I create the agent role, or keep it when it already exists
    And I open the agent role again
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
    Then the reopened role shows the backend connection as entered
    And the client secret is saved but never shown
    And a token acquired with the values read back from the portal is accepted by the Business Central API for the saved company

  @ui @sandbox_only
  Scenario: The Dynamics Mobile agent connects with the saved settings
    Given an app registration whose client secret Business Central accepts
    And I am signed in to the Dynamics Mobile Portal application area
    When I open the application "ADM" from the Application Selector
    And I open the roles list from the left menu
    And I create the agent role, or keep it when it already exists
    And I open the agent role again
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
    Then the Dynamics Mobile agent check for the role succeeds

  @ui @failure_modes
  Scenario Outline: The Portal refuses a malformed backend connection
    Given I am signed in to the Dynamics Mobile Portal application area
    When I open the application "ADM" from the Application Selector
    And I open the roles list from the left menu
    And I create the agent role, or keep it when it already exists
    And I open the agent role again
    And I open the role's Settings and its AGENT section
    And I open the Backend Connection section
    And I select "Microsoft Dynamics 365 Business Central" as Connection Type
    And I enter "<value>" as the <field>
    And I click UPDATE on top, expecting a refusal
    Then the Portal reports "<message>"
    And the <field> field is marked invalid

    Examples:
      | field     | value                                | message                    |
      | Tenant Id | not-a-guid                           | Tenant Id: must be a GUID  |
      | Client Id |                                      | Client Id: is required     |
      | Client Id | 1234-not-a-guid                      | Client Id: must be a GUID  |
