"""Live workshop polls: sessions joined by code, votes, moderation and a presenter's live chart."""
