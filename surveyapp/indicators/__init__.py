"""Indicators: a figure on an item (share agreeing, mean score) with a target, per group and period."""
