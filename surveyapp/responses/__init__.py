"""Responses and answers: what respondents gave, whichever page flow stored it."""
