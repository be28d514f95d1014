"""A racecourse's screening leaderboard (the results page's CSV, as a kind).

Anyone who may see the round's counts (``counts_visible``); an idea the
requester may not know of is "A confidential idea", as on the page.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.models import Racecourse
from ideas.selectors import idea_list_visible
from voting.screening import exports as screening_exports
from voting.screening.selectors.results import counts_visible, leaderboard
from voting.screening.selectors.rounds import screening_window

from ..registry import ExportKind, register


class LeaderboardExport(ExportKind):
    slug = "leaderboard"
    order = 70
    title = gettext_lazy("Screening leaderboard")
    description = gettext_lazy(
        "A racecourse's screening standings from the latest tally: no voter, no team."
    )
    params = ("racecourse",)
    required = ("racecourse",)

    def allowed(self, user) -> bool:
        return user.is_authenticated

    def _window(self, params):
        racecourse = Racecourse.objects.filter(pk=params["racecourse"]).first()
        if racecourse is None:
            raise ValidationError({"racecourse": [_("No such racecourse.")]})
        window = screening_window(racecourse=racecourse)
        if window is None:
            raise ValidationError(
                {"racecourse": [_("There is no online screening on this racecourse.")]}
            )
        return window

    def check(self, user, params):
        if not counts_visible(user=user, window=self._window(params)):
            raise PermissionDenied(_("The results are not published yet."))

    def header(self, user, params):
        return list(screening_exports.COLUMNS)

    def count(self, user, params):
        return leaderboard(window=self._window(params)).count()

    def rows(self, user, params):
        tallies = list(leaderboard(window=self._window(params)))
        visible = set(
            idea_list_visible(user=user)
            .filter(pk__in=[t.idea_id for t in tallies])
            .values_list("pk", flat=True)
        )
        for tally in tallies:
            if tally.idea_id not in visible:
                tally.idea.title = _("A confidential idea")
            row = screening_exports.tally_row(tally)
            # ``safe_cell`` defuses formulas; the title came back defused once.
            row[2] = tally.idea.title
            yield row


register(LeaderboardExport())
