@token @epic:Business_Central_OAuth @story:4_Token_and_BC_API @severity:critical
Feature: OAuth client-credentials token for Business Central
  The Dynamics Mobile agent signs in as the app registration (client credentials, scope
  https://api.businesscentral.dynamics.com/.default) and calls the Business Central API with the token.
  Every misconfiguration of the procedure must surface as its exact error code, with a hint naming the fix.

  Scenario: A consented app gets a Business Central token with its roles
    Given an app registration provisioned for Business Central
    When the agent requests a Business Central token
    Then the token came from the identity provider
    And the token is for Business Central, the app and the tenant
    And the token carries the role "API.ReadWrite.All"

  Scenario: A second request with the same client is served from the token cache
    Given an app registration provisioned for Business Central
    And the agent requests a Business Central token
    When the agent requests a Business Central token again with the same client
    Then the token came from the token cache

  Scenario: The Business Central API lists the configured company
    Given an app registration provisioned for Business Central
    And the agent requests a Business Central token
    When the agent lists the companies of the configured environment
    Then the configured company is listed

  Scenario Outline: A misconfiguration surfaces its exact error code
    Given an app registration provisioned for Business Central with <misconfiguration>
    When the agent checks its connection to Business Central
    Then the connection fails at the <stage> with HTTP <status> and code "<code>"
    And the failure names a fix

    Examples:
      | misconfiguration                         | stage                | status | code                              |
      | a wrong client secret                    | identity provider    | 401    | AADSTS7000215                     |
      | an unknown client id                     | identity provider    | 400    | AADSTS700016                      |
      | an unknown tenant id                     | identity provider    | 400    | AADSTS90002                       |
      | no admin consent                         | Business Central API | 401    | Authentication_InvalidCredentials |
      | no Business Central registration         | Business Central API | 401    | Authentication_InvalidCredentials |
      | a disabled Business Central registration | Business Central API | 401    | Authentication_InvalidCredentials |
      | an unknown environment                   | Business Central API | 404    | BadRequest_NotFound               |

    # Only the sandbox clock can move past a secret's end date.
    @sandbox_only
    Examples:
      | misconfiguration                         | stage                | status | code                              |
      | an expired client secret                 | identity provider    | 401    | AADSTS7000222                     |
