"""Online screening's notification events: reminders to voters.

Each event says who is told (``recipients``). Registered when ``voting`` is
ready.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from horserace.notifications.events import ToPeople, register, register_area

register_area("voting.screening", _("Screening"))


@register
class JudgingReminder(ToPeople):
    """To the active voters of a screening round closing within a day who have
    ideas left to judge (``voting.reminders``): how many, no idea's content;
    ``about`` is the voters with this many left.
    Once per round and person a day."""

    kind = "voting.screening.judging_reminder"
    label = _("Ideas left to judge in screening")
    params = ("window", "day", "racecourse", "left")
    key = ("window", "day")
    body = _("Online screening closes within 24 hours; every judgment counts.")
    example = {"window": 1, "day": "2026-12-07", "racecourse": "Main", "left": 3}

    @classmethod
    def render_subject(cls, params):
        return ngettext(
            "You have {left} idea left to judge in {racecourse}",
            "You have {left} ideas left to judge in {racecourse}",
            params["left"],
        ).format(**params)
