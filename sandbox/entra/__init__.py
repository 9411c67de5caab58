"""The Microsoft sign-in host twin: Entra ID protocol endpoints and the sign-in pages."""
