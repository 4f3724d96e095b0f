"""Members of a programme: which staff account holds which role in it (service, forms, views, CLI commands)."""
