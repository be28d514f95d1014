"""Evaluators' scorecards: who scored which project, how, and when.

HR and racecourse admins only. Conflicts hold: a requester who is on the
project's team or has a conflict with it gets none of its scorecards, and a
scorecard of an evaluator conflicted with the project is left out.
"""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from ideas.models import TeamMembership
from voting.models import Conflict, Score, Scorecard

from ..registry import ExportKind, register
from .scope import check_racecourse, is_staff_exporter, moment, racecourse_q


class ScorecardsExport(ExportKind):
    slug = "scorecards"
    order = 30
    title = _("Evaluation scorecards")
    description = _(
        "Each evaluator's scores per criterion, total and status, per project."
    )
    params = ("season", "racecourse")

    def allowed(self, user) -> bool:
        return is_staff_exporter(user)

    def check(self, user, params):
        check_racecourse(user, params)

    def _scorecards(self, user, params):
        idea = OuterRef("assignment__idea")
        return (
            Scorecard.objects.filter(
                racecourse_q(user, params, "assignment__idea__racecourse")
            )
            .exclude(
                Exists(TeamMembership.objects.filter(idea=idea, user=user))
                | Exists(Conflict.objects.filter(idea=idea, evaluator=user))
                | Exists(
                    Conflict.objects.filter(
                        idea=idea, evaluator=OuterRef("assignment__evaluator")
                    )
                )
            )
            .order_by("assignment__idea_id", "assignment__evaluator_id", "pk")
        )

    def header(self, user, params):
        return [
            "racecourse",
            "idea_id",
            "registration_code",
            "title",
            "evaluator",
            "evaluator_email",
            "status",
            "scores",
            "total",
            "submitted_at",
        ]

    def count(self, user, params):
        return self._scorecards(user, params).count()

    def rows(self, user, params):
        cards = (
            self._scorecards(user, params)
            .select_related(
                "assignment__idea__racecourse",
                "assignment__idea__registration__season",
                "assignment__evaluator",
            )
            .prefetch_related(
                Prefetch(
                    "scores",
                    queryset=Score.objects.select_related("criterion").order_by(
                        "criterion__position", "criterion_id"
                    ),
                )
            )
        )
        for card in cards.iterator(chunk_size=500):
            idea = card.assignment.idea
            evaluator = card.assignment.evaluator
            registration = getattr(idea, "registration", None)
            scores = list(card.scores.all())
            yield [
                idea.racecourse.name,
                idea.pk,
                registration.code if registration else "",
                idea.title,
                str(evaluator),
                evaluator.email,
                card.status,
                "; ".join(f"{s.criterion.name}: {s.value}" for s in scores),
                sum(s.value for s in scores),
                moment(card.submitted_at),
            ]


register(ScorecardsExport())
