"""The team's feedback: voters' reasons after the round, without voters.

The same rows as the feedback page (``voting.screening.selectors.feedback``),
for whoever may read them (``voting.see_feedback``): the team, HR and the
idea's racecourse admins.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from horserace.common.permissions import can
from ideas.models import Idea, TeamMembership
from voting.models import Ballot
from voting.screening.selectors.feedback import applied_windows, feedback_rows

from ..registry import ExportKind, register


class FeedbackExport(ExportKind):
    slug = "feedback"
    order = 60
    title = gettext_lazy("Voters' feedback for a team")
    description = gettext_lazy(
        "The reasons voters gave in screening, once the round's result is "
        "applied; never who gave them."
    )
    params = ("idea",)
    required = ("idea",)

    def allowed(self, user) -> bool:
        return user.is_authenticated

    def ideas_for(self, user):
        """The user's team ideas with an applied round (for the page's choice)."""
        return (
            Idea.objects.filter(
                pk__in=TeamMembership.objects.filter(user=user).values("idea_id")
            )
            .filter(
                pk__in=Ballot.objects.filter(window__applied_at__isnull=False).values(
                    "idea_id"
                )
            )
            .order_by("title", "pk")
        )

    def _idea(self, params) -> Idea:
        return Idea.objects.select_related("racecourse").get(pk=params["idea"])

    def check(self, user, params):
        idea = Idea.objects.filter(pk=params["idea"]).first()
        # One answer for "no such idea" and "not yours": nothing to learn.
        if idea is None or not can(user, "voting.see_feedback", idea):
            raise ValidationError({"idea": [_("No feedback of yours has this id.")]})
        if not applied_windows(idea=idea).exists():
            raise ValidationError(
                {
                    "idea": [
                        _("Voters' reasons arrive once the screening round is over.")
                    ]
                }
            )

    def header(self, user, params):
        return ["racecourse", "round", "judgment", "reason"]

    def count(self, user, params):
        idea = self._idea(params)
        return (
            Ballot.objects.filter(
                idea=idea, window__in=applied_windows(idea=idea).values("pk")
            )
            .exclude(reason="")
            .count()
        )

    def rows(self, user, params):
        return feedback_rows(idea=self._idea(params))


register(FeedbackExport())
