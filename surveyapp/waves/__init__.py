"""Follow-up waves: the plan, scheduling, personal invitations and their exactly-once dispatch."""
