"""Journeys across several pages, between steps and page objects: signing in to each UI, creating something
together with its undo for the cleanup ledger, and waiting for a token or the BC API to accept an app.

Flows may import pages and harness; they never import steps, the sandbox, or the admin client (what differs
between sandbox and live goes through `harness.backstage.Backstage`)."""
