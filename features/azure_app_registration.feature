@azure_portal @ui @epic:Business_Central_OAuth @story:1_Azure_portal @severity:critical
Feature: Register Dynamics Mobile in the Azure portal
  Steps 1-15 of "Dynamics 365 Business Central - OAuth" (Configuring Dynamics 365 Business Central, Azure part):
  an administrator registers the app, gives it Business Central application permissions with admin consent and
  creates a client secret whose Value is captured once, then proves the client id and secret obtain a token.

  Scenario: An administrator registers the Dynamics Mobile app with consented permissions and a client secret
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
    Then the configured permissions list the chosen Business Central application permissions as not granted
    When the administrator grants admin consent for the tenant
    Then the portal confirms that admin consent was granted
    And every configured permission shows it is granted for the tenant
    When the administrator opens the "Certificates & secrets" section
    And the administrator adds a client secret that expires after the configured period
    Then the client secret value was captured and the Secret ID is not the value
    And after a reload the portal shows the client secret only masked
    And the captured client id and secret obtain a token carrying the consented roles
