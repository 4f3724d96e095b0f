"""Training sessions, pseudonymous participants, contact details kept apart from answers, consent, rosters."""
