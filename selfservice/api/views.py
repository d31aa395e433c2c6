"""The self-service API: each view parses, calls one selector or service, and answers."""
