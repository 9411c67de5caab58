"""Loopback-only, token-protected admin API for tests, the CLI and users."""
