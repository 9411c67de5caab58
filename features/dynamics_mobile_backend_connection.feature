@dynamics_mobile @epic:Business_Central_OAuth @story:3_Dynamics_Mobile_Portal @severity:critical
Feature: Dynamics Mobile Portal backend connection to Business Central
  The Dynamics Mobile SaaS agent reads its Business Central connection from the Portal role DMSAGENT
  (procedure "Dynamics Mobile Portal Configuration", steps 1-15). The values come from the app registration;
  the Portal must keep them, hide the secret, and they must work against Business Central.

  @ui @smoke
  Scenario: The agent role keeps the backend connection and Business Central accepts it
    Given an app registration whose client secret Business Central accepts
    And the administrator is signed in to the Dynamics Mobile Portal application area
    When the administrator opens the application "ADM" from the Application Selector
    And the administrator opens the roles list from the left menu
    And the administrator creates the agent role, or keeps it when it already exists
    And the administrator opens the agent role again
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
    Then the reopened role shows the backend connection as entered
    And the client secret is saved but never shown
    And a token acquired with the values read back from the portal is accepted by the Business Central API for the saved company

  @ui @sandbox_only
  Scenario: The Dynamics Mobile agent connects with the saved settings
    Given an app registration whose client secret Business Central accepts
    And the administrator is signed in to the Dynamics Mobile Portal application area
    When the administrator opens the application "ADM" from the Application Selector
    And the administrator opens the roles list from the left menu
    And the administrator creates the agent role, or keeps it when it already exists
    And the administrator opens the agent role again
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
    Then the Dynamics Mobile agent check for the role succeeds

  @ui @failure_modes
  Scenario Outline: The Portal refuses a malformed backend connection
    Given the administrator is signed in to the Dynamics Mobile Portal application area
    When the administrator opens the application "ADM" from the Application Selector
    And the administrator opens the roles list from the left menu
    And the administrator creates the agent role, or keeps it when it already exists
    And the administrator opens the agent role again
    And the administrator opens the role's Settings and its AGENT section
    And the administrator opens the Backend Connection section
    And the administrator selects "Microsoft Dynamics 365 Business Central" as Connection Type
    And the administrator enters "<value>" as the <field>
    And the administrator clicks UPDATE on top, expecting a refusal
    Then the Portal reports "<message>"
    And the <field> field is marked invalid

    Examples:
      | field     | value                                | message                    |
      | Tenant Id | not-a-guid                           | Tenant Id: must be a GUID  |

    # The full suite; `make test` runs the one above.
    @slow
    Examples:
      | field     | value                                | message                    |
      | Client Id |                                      | Client Id: is required     |
      | Client Id | 1234-not-a-guid                      | Client Id: must be a GUID  |
