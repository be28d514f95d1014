"""Ideas with their stage history: one row per idea, the date it entered each stage.

HR exports every idea, a racecourse admin those of their racecourses, and
only what ``ideas.view_idea`` lets them know. The captain is named only when
``ideas.see_team`` allows (an anonymous team stays anonymous unless the
requester unmasked it).
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from ideas.models import Idea, Stage, StageTransition, TeamMembership
from ideas.visibility import Viewer, visible_q

from ..registry import ExportKind, register
from .scope import check_racecourse, day, is_staff_exporter, racecourse_q

HISTORY = [
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
    Stage.REALIZED,
    Stage.ELIMINATED,
    Stage.WITHDRAWN,
    Stage.MERGED,
]


class IdeasExport(ExportKind):
    slug = "ideas"
    order = 10
    title = _("Ideas and their stage history")
    description = _(
        "One row per idea: where it stands and the day it entered each stage."
    )
    params = ("season", "racecourse")

    def allowed(self, user) -> bool:
        return is_staff_exporter(user)

    def check(self, user, params):
        check_racecourse(user, params)

    def _ideas(self, user, params):
        return (
            Idea.objects.filter(racecourse_q(user, params, "racecourse"))
            .filter(pk__in=Idea.objects.filter(visible_q(user)).values("pk"))
            .order_by("racecourse_id", "pk")
        )

    def header(self, user, params):
        return [
            "idea_id",
            "registration_code",
            "title",
            "season",
            "racecourse",
            "stage",
            "visibility",
            "anonymous",
            "captain",
            "team_size",
            "created",
            *[f"entered_{stage}" for stage in HISTORY],
        ]

    def count(self, user, params):
        return self._ideas(user, params).count()

    def rows(self, user, params):
        viewer = Viewer(user)
        ideas = self._ideas(user, params).select_related(
            "racecourse__season", "registration__season"
        )
        ideas = ideas.prefetch_related(
            Prefetch(
                "transitions",
                queryset=StageTransition.objects.order_by("created_at", "pk"),
            ),
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user"),
            ),
        )
        for idea in ideas.iterator(chunk_size=500):
            entered: dict[str, str] = {}
            for transition in idea.transitions.all():
                entered.setdefault(transition.to_stage, day(transition.created_at))
            members = list(idea.memberships.all())
            captain = next(
                (m.user for m in members if m.role == TeamMembership.Role.CAPTAIN),
                None,
            )
            registration = getattr(idea, "registration", None)
            yield [
                idea.pk,
                registration.code if registration else "",
                idea.title,
                idea.racecourse.season.name,
                idea.racecourse.name,
                idea.stage,
                idea.visibility,
                idea.anonymous,
                str(captain) if captain and viewer.sees_names(idea) else "",
                len(members),
                day(idea.created_at),
                *[entered.get(stage, "") for stage in HISTORY],
            ]


register(IdeasExport())
