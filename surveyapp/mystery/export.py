"""The visits as CSV: one row per answer, shoppers as numbers; formulas neutralised by exports.formats."""

import pandas as pd

from surveyapp.exports.formats import to_csv
from surveyapp.mystery.results import Results

COLUMNS = ["visit", "shopper", "channel", "scenario", "visited_at", "item", "points", "value", "evidence"]


def visits_csv(results: Results) -> bytes:
    codes = {item.id: (item.code, item.points) for item in results.checklist.items}
    rows = [[row.visit.id, row.shopper, row.visit.channel, row.visit.scenario,
             row.visit.visited_at.date().isoformat(), *codes[answer.item_id], answer.value, answer.evidence]
            for row in results.visits for answer in row.visit.answers]
    return to_csv(pd.DataFrame(rows, columns=COLUMNS))
