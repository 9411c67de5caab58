"""The Business Central API twin (`api.businesscentral.dynamics.com`): companies over OData v4, bearer tokens."""
