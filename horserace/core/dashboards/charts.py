"""The dashboard's series as Chart.js data, for the page's ``json_script``.

Only numbers and labels: the script (``static/js/dashboard.js``) draws them;
the page's tables carry the same numbers for screen readers.
"""

from django.utils import formats
from django.utils.translation import gettext as _

from .selectors import Dashboard


def _day(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def chart_data(board: Dashboard) -> dict:
    ballots = board.ballots
    return {
        "funnel": {
            "labels": [step.label for step in board.funnel],
            "datasets": [
                {"label": _("Ideas"), "data": [step.count for step in board.funnel]}
            ],
        },
        "participation": {
            "labels": [row.department for row in board.participation],
            "datasets": [
                {
                    "label": _("Submitted an idea"),
                    "data": [r.submitted for r in board.participation],
                },
                {
                    "label": _("Joined a team"),
                    "data": [r.joined for r in board.participation],
                },
                {"label": _("Voted"), "data": [r.voted for r in board.participation]},
            ],
            "horizontal": True,
            "grow": True,
        },
        "ballots": {
            "labels": [_day(day) for day in ballots.days],
            "datasets": [
                {
                    "label": f"{w.racecourse} · {_day(w.opens_at)}",
                    "data": [w.days.get(day, 0) for day in ballots.days],
                }
                for w in ballots.windows
            ],
            "stacked": True,
        },
        "evaluation": {
            "labels": [row.racecourse for row in board.evaluation],
            "datasets": [
                {
                    "label": _("Submitted"),
                    "data": [r.submitted for r in board.evaluation],
                },
                {
                    "label": _("Draft saved"),
                    "data": [r.started for r in board.evaluation],
                },
                {
                    "label": _("Not started"),
                    "data": [r.due - r.submitted - r.started for r in board.evaluation],
                },
            ],
            "stacked": True,
            "horizontal": True,
        },
        "resources": {
            "labels": [row.resource for row in board.resources],
            "datasets": [
                {
                    # xgettext:no-python-format
                    "label": _("Granted, % of budget"),
                    "data": [r.percent for r in board.resources],
                }
            ],
            "horizontal": True,
            "percent": True,
            "grow": True,
        },
        "tranches": {
            "labels": [row.title for row in board.tranches.projects],
            "datasets": [
                {
                    "label": _("Released"),
                    "data": [float(r.released) for r in board.tranches.projects],
                },
                {
                    "label": _("Still to release"),
                    "data": [
                        float(r.planned - r.released) for r in board.tranches.projects
                    ],
                },
            ],
            "stacked": True,
            "horizontal": True,
            "grow": True,
            "money": True,
        },
    }
