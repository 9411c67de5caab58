@business_central @epic:Business_Central_OAuth @story:2_Business_Central @severity:critical
Feature: Register the Dynamics Mobile app in Business Central (Microsoft Entra Applications)
  Procedure steps 16-18: in the Business Central web client, search for the Microsoft Entra Applications page
  (formerly "Azure Active Directory Applications"), create a record for the app's Client ID with a Description,
  give its user permission sets and enable it. Only then does the Business Central API accept the app's token.
  Business Central asks in this order: Client ID, Description, create the user, permission sets, State = Enabled last.

  @ui @smoke
  Scenario: The administrator registers and enables the app, and the BC API then accepts its token
    Given the administrator is signed in to Business Central
    And an app registered in Entra that Business Central does not know yet
    And the Business Central API rejects the app's token
    When the administrator opens Microsoft Entra Applications through Tell Me
    And the administrator creates a new Microsoft Entra Application for the app
    And the administrator gives the application a Description for this run
    And the administrator creates the application user from the card
    And the administrator adds the configured permission sets to the application
    And the administrator enables the application, confirming the user creation
    And the administrator grants consent from Business Central when configured
    And the administrator goes back to the list of Microsoft Entra Applications
    Then the app is listed with State "Enabled"
    And the Business Central API accepts the app's token

  # The full suite runs these two refusals (`make test` leaves them out; the twins' own tests check the rules).
  @ui @failure_modes @slow
  Scenario: Business Central refuses the SUPER permission set for an application
    Given the administrator is signed in to Business Central
    And an app registered in Entra that Business Central does not know yet
    When the administrator opens Microsoft Entra Applications through Tell Me
    And the administrator creates a new Microsoft Entra Application for the app
    And the administrator gives the application a Description for this run
    And the administrator creates the application user from the card
    And the administrator tries to add the permission set "SUPER" to the application
    Then Business Central refuses with a message containing "SUPER"
    And the application has no permission sets

  @ui @failure_modes @slow
  Scenario: An enabled application cannot be edited
    Given the administrator is signed in to Business Central
    And an app registered in Entra that Business Central does not know yet
    When the administrator opens Microsoft Entra Applications through Tell Me
    And the administrator creates a new Microsoft Entra Application for the app
    And the administrator gives the application a Description for this run
    And the administrator creates the application user from the card
    And the administrator adds the configured permission sets to the application
    And the administrator enables the application, confirming the user creation
    And the administrator tries to change the application's Description to "Changed while enabled"
    Then Business Central refuses with a message containing "You must set the State field to Disabled before you can make changes to this app."
    And the application keeps the Description for this run

  # Sandbox only: the consent it gives is tenant-wide and stays (the session's app without consent must stay so).
  @ui @sandbox_only
  Scenario: Grant Consent from Business Central gives the app its roles
    Given the administrator is signed in to Business Central
    And an app registered in Entra without admin consent that Business Central does not know yet
    When the administrator opens Microsoft Entra Applications from its address
    And the administrator creates a new Microsoft Entra Application for the app
    And the administrator gives the application a Description for this run
    And the administrator creates the application user from the card
    And the administrator adds the configured permission sets to the application
    And the administrator enables the application, confirming the user creation
    And the administrator grants consent from Business Central
    Then Business Central reports "Consent was given successfully."
    And the Business Central API accepts the app's token

  # Sandbox only: the redirect URIs are removed through the admin API.
  @ui @failure_modes @sandbox_only
  Scenario: Grant Consent fails when the app lacks the OAuthLanding.htm redirect URI
    Given the administrator is signed in to Business Central
    And an app registered in Entra without admin consent that Business Central does not know yet
    And the app registration has no redirect URIs
    When the administrator opens Microsoft Entra Applications through Tell Me
    And the administrator creates a new Microsoft Entra Application for the app
    And the administrator gives the application a Description for this run
    And the administrator tries to grant consent from Business Central
    Then Business Central refuses with a message containing "Failed to give consent."
    And the refusal mentions "AADSTS50011"
