@business_central @epic:Business_Central_OAuth @story:2_Business_Central @severity:critical
Feature: Register the Dynamics Mobile app in Business Central (Microsoft Entra Applications)
  Procedure steps 16-18: in the Business Central web client, search for the Microsoft Entra Applications page
  (formerly "Azure Active Directory Applications"), create a record for the app's Client ID with a Description,
  give its user permission sets and enable it. Only then does the Business Central API accept the app's token.
  Real order (FIDELITY.md §d): Client ID, Description, create the user, permission sets, State = Enabled last.

  @ui @smoke @sandbox_only
  Scenario: The administrator registers and enables the app, and the BC API then accepts its token
    Given I am signed in to Business Central as the administrator
    And an app registered in Entra that Business Central does not know yet
    And the Business Central API rejects the app's token
    When I open Microsoft Entra Applications through Tell Me
    And I create a new Microsoft Entra Application for the app
    And I give the application a Description for this run
    And I create the application user from the card
    And I add the configured permission sets to the application
    And I enable the application, confirming the user creation
    And I grant consent from Business Central when configured
    And I go back to the list of Microsoft Entra Applications
    Then the app is listed with State "Enabled"
    And the Business Central API accepts the app's token

  @ui @failure_modes @sandbox_only
  Scenario: Business Central refuses the SUPER permission set for an application
    Given I am signed in to Business Central as the administrator
    And an app registered in Entra that Business Central does not know yet
    When I open Microsoft Entra Applications through Tell Me
    And I create a new Microsoft Entra Application for the app
    And I give the application a Description for this run
    And I create the application user from the card
    And I try to add the permission set "SUPER" to the application
    Then Business Central refuses with a message containing "SUPER"
    And the application has no permission sets

  @ui @failure_modes @sandbox_only
  Scenario: An enabled application cannot be edited
    Given I am signed in to Business Central as the administrator
    And an app registered in Entra that Business Central does not know yet
    When I open Microsoft Entra Applications through Tell Me
    And I create a new Microsoft Entra Application for the app
    And I give the application a Description for this run
    And I create the application user from the card
    And I add the configured permission sets to the application
    And I enable the application, confirming the user creation
    And I try to change the application's Description to "Changed while enabled"
    Then Business Central refuses with a message containing "You must set the State field to Disabled before you can make changes to this app."
    And the application keeps the Description for this run

  @ui @sandbox_only
  Scenario: Grant Consent from Business Central gives the app its roles
    Given I am signed in to Business Central as the administrator
    And an app registered in Entra without admin consent that Business Central does not know yet
    When I open Microsoft Entra Applications through the page=9860 deep link
    And I create a new Microsoft Entra Application for the app
    And I give the application a Description for this run
    And I create the application user from the card
    And I add the configured permission sets to the application
    And I enable the application, confirming the user creation
    And I grant consent from Business Central
    Then Business Central reports "Consent was given successfully."
    And the Business Central API accepts the app's token

  @ui @failure_modes @sandbox_only
  Scenario: Grant Consent fails when the app lacks the OAuthLanding.htm redirect URI
    Given I am signed in to Business Central as the administrator
    And an app registered in Entra without admin consent that Business Central does not know yet
    And the app registration has no redirect URIs
    When I open Microsoft Entra Applications through Tell Me
    And I create a new Microsoft Entra Application for the app
    And I give the application a Description for this run
    And I try to grant consent from Business Central
    Then Business Central refuses with a message containing "Failed to give consent."
    And the refusal mentions "AADSTS50011"
