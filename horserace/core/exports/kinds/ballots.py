"""Screening ballots, anonymised: what was judged and why, never by whom.

No voter column of any kind (no id, name, e-mail, username or department),
the day only (no time), and rows ordered by idea, round, judgment, reason and
day: by what the ballot says, never by when or by whom it was cast.
"""

from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea
from ideas.visibility import visible_q
from voting.models import Ballot

from ..registry import ExportKind, register
from .scope import check_racecourse, is_staff_exporter, racecourse_q


class BallotsExport(ExportKind):
    slug = "ballots"
    order = 20
    title = _("Screening ballots, anonymised")
    description = _(
        "Every judgment and its reason by idea and round, with the day only. "
        "No voter is named or numbered."
    )
    params = ("season", "racecourse")

    def allowed(self, user) -> bool:
        return is_staff_exporter(user)

    def check(self, user, params):
        check_racecourse(user, params)

    def _ballots(self, user, params):
        return Ballot.objects.filter(
            racecourse_q(user, params, "window__racecourse"),
            idea__in=Idea.objects.filter(visible_q(user)).values("pk"),
        )

    def header(self, user, params):
        return [
            "season",
            "racecourse",
            "round",
            "idea_id",
            "registration_code",
            "title",
            "judgment",
            "reason",
            "day",
        ]

    def count(self, user, params):
        return self._ballots(user, params).count()

    def rows(self, user, params):
        ideas: dict[int, tuple[str, str]] = {}
        rows = (
            self._ballots(user, params)
            .annotate(
                day=TruncDate("created_at", tzinfo=timezone.get_current_timezone())
            )
            .order_by("idea_id", "window_id", "-choice", "reason", "day")
            .values_list(
                "window__racecourse__season__name",
                "window__racecourse__name",
                "window__round",
                "idea_id",
                "choice",
                "reason",
                "day",
            )
        )
        for season, racecourse, round_, idea_id, choice, reason, when in rows.iterator(
            chunk_size=2000
        ):
            if idea_id not in ideas:
                idea = Idea.objects.select_related("registration__season").get(
                    pk=idea_id
                )
                registration = getattr(idea, "registration", None)
                ideas[idea_id] = (
                    registration.code if registration else "",
                    idea.title,
                )
            code, title = ideas[idea_id]
            yield [
                season,
                racecourse,
                round_,
                idea_id,
                code,
                title,
                choice,
                reason,
                when.isoformat() if when else "",
            ]


register(BallotsExport())
