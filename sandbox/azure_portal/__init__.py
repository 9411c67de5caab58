"""Azure portal twin: App registrations (register, overview, API permissions + consent, client secrets)."""
