@golden @epic:Business_Central_OAuth @story:0_Golden_path @severity:blocker
Feature: The whole procedure end to end
  QA's nightly question: does "Dynamics 365 Business Central - OAuth", done exactly as written, still yield a
  working connection? One administrator registers the app in the Azure portal, adds it to Business Central's
  Microsoft Entra Applications, enters the connection in the Dynamics Mobile Portal, and the connection is proven
  with the values read back from the Portal. Each value reaches the next page only as the administrator copies it.

  @smoke
  Scenario: Dynamics Mobile connects to Business Central after the documented procedure
    # Azure portal: procedure steps 1-15
    Given the administrator is signed in to the Azure portal
    When the administrator opens "App registrations" from the portal search
    And the administrator starts a new registration
    And the administrator names the application after the configured app name and the run id
    And the administrator selects the first supported account type
    And the administrator adds the "Web" redirect URI "https://businesscentral.dynamics.com/OAuthLanding.htm"
    And the administrator registers the application
    Then the overview shows the new application's client ID, object ID and directory (tenant) ID
    When the administrator opens the "API permissions" section
    And the administrator adds a permission from "Dynamics 365 Business Central"
    And the administrator chooses "Application" permissions
    And the administrator looks for "Financials.ReadWriteAll" as the procedure says
    And the administrator checks the configured Business Central application permissions
    And the administrator adds the permissions
    And the administrator grants admin consent for the tenant
    Then every configured permission shows it is granted for the tenant
    When the administrator opens the "Certificates & secrets" section
    And the administrator adds a client secret that expires after the configured period
    Then the client secret value was captured and the Secret ID is not the value
    # Business Central web client: procedure steps 16-18
    Given the administrator is signed in to Business Central
    When the administrator opens Microsoft Entra Applications through Tell Me
    And the administrator creates a new Microsoft Entra Application for the app
    And the administrator gives the application a Description for this run
    And the administrator creates the application user from the card
    And the administrator adds the configured permission sets to the application
    And the administrator enables the application, confirming the user creation
    And the administrator grants consent from Business Central when configured
    And the administrator goes back to the list of Microsoft Entra Applications
    Then the app is listed with State "Enabled"
    # Dynamics Mobile Portal: "Configuring the connection with Business Central", steps 1-15
    Given the administrator is signed in to the Dynamics Mobile Portal application area
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
    # Proof: procedure step 4 of the harness, with what the Portal kept
    And a token acquired with the values read back from the portal is accepted by the Business Central API for the saved company
