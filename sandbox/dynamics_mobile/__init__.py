"""Dynamics Mobile Portal twin: login, application selector, ADM roles and the role's AGENT settings."""
