"""Browser pages for online screening: the judging page and the results page.

Thin views: parse, ask ``voting.selectors``, call one ``voting.services``
function, render.
"""

from .judging import cast, judge, withdraw
from .results import results, results_csv

__all__ = ["cast", "judge", "results", "results_csv", "withdraw"]
