"""Each employee's innovation record, for performance reviews.

Per person, one row per idea they took part in and in which role: captain or
member of its team, its mentor (trainer), or one of its evaluators; with the
furthest stage it reached, where it stands and its outcomes. HR exports
everyone's, one department's (and those below it) or one person's; anyone
else exports their own.

Anonymous teams stay anonymous: when the requester may not see the team of
an anonymous idea (``ideas.see_team``), a captain's or member's row keeps the
role and the stages but not which idea it was.
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from horserace.accounts.models import Department, User
from horserace.accounts.rules import is_hr_admin
from ideas.models import (
    Idea,
    Outcome,
    Stage,
    StageTransition,
    TeamMembership,
    TrainerAssignment,
)
from ideas.visibility import Viewer
from voting.models import Assignment

from ..registry import ExportKind, register

# The funnel's forward order: the furthest reached is the highest.
FORWARD = [
    Stage.DRAFT,
    Stage.REGISTERED,
    Stage.SCREENING,
    Stage.GESTATION,
    Stage.EVALUATION,
    Stage.REALIZATION,
    Stage.REALIZED,
]
FINAL = {Stage.REALIZED, Stage.ELIMINATED, Stage.WITHDRAWN, Stage.MERGED}
ROLE_ORDER = {"captain": 0, "member": 1, "mentor": 2, "evaluator": 3}
CHUNK = 500


class RecordsExport(ExportKind):
    slug = "records"
    order = 50
    title = gettext_lazy("Innovation records")
    description = gettext_lazy(
        "Per person: their ideas and roles (captain, member, mentor, evaluator), "
        "the stages reached and the outcomes, for performance reviews."
    )
    params = ("department", "person")

    def allowed(self, user) -> bool:
        return user.is_authenticated

    def check(self, user, params):
        if is_hr_admin(user):
            if (
                params.get("department")
                and not Department.objects.filter(pk=params["department"]).exists()
            ):
                raise ValidationError({"department": [_("No such department.")]})
            if (
                params.get("person")
                and not User.objects.filter(pk=params["person"]).exists()
            ):
                raise ValidationError({"person": [_("No such person.")]})
            return
        if params.get("department"):
            raise PermissionDenied(_("Only HR exports a department's records."))
        if params.get("person") not in (None, user.pk):
            raise PermissionDenied(_("You may export only your own record."))

    def _people(self, user, params):
        if not is_hr_admin(user):
            return User.objects.filter(pk=user.pk)
        people = User.objects.all()
        if params.get("person"):
            people = people.filter(pk=params["person"])
        if params.get("department"):
            department = Department.objects.get(pk=params["department"])
            people = people.filter(department_id__in=department.descendant_ids())
        return people.order_by("department__name", "display_name", "email", "pk")

    def header(self, user, params):
        return [
            "employee_number",
            "name",
            "email",
            "department",
            "role",
            "idea_id",
            "registration_code",
            "title",
            "season",
            "racecourse",
            "furthest_stage",
            "current_stage",
            "outcome",
        ]

    def count(self, user, params):
        people = self._people(user, params).values("pk")
        return (
            TeamMembership.objects.filter(user__in=people).count()
            + TrainerAssignment.objects.filter(
                trainer__user__in=people, status__in=["active", "ended"]
            ).count()
            + Assignment.objects.filter(evaluator__in=people).count()
        )

    def rows(self, user, params):
        viewer = Viewer(user)
        people = self._people(user, params).select_related("department")
        chunk: list[User] = []
        for person in people.iterator(chunk_size=CHUNK):
            chunk.append(person)
            if len(chunk) >= CHUNK:
                yield from self._chunk_rows(viewer, chunk)
                chunk = []
        if chunk:
            yield from self._chunk_rows(viewer, chunk)

    def _chunk_rows(self, viewer: Viewer, people: list[User]):
        ids = [p.pk for p in people]
        roles: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for user_id, role, idea_id in TeamMembership.objects.filter(
            user_id__in=ids
        ).values_list("user_id", "role", "idea_id"):
            roles[user_id].append((role, idea_id))
        for user_id, idea_id in (
            TrainerAssignment.objects.filter(
                trainer__user_id__in=ids, status__in=["active", "ended"]
            )
            .values_list("trainer__user_id", "idea_id")
            .distinct()
        ):
            roles[user_id].append(("mentor", idea_id))
        for user_id, idea_id in Assignment.objects.filter(
            evaluator_id__in=ids
        ).values_list("evaluator_id", "idea_id"):
            roles[user_id].append(("evaluator", idea_id))
        idea_ids = {idea_id for pairs in roles.values() for _r, idea_id in pairs}
        ideas = Idea.objects.select_related(
            "racecourse__season", "registration__season"
        ).in_bulk(idea_ids)
        reached: dict[int, set[str]] = defaultdict(set)
        for idea_id, stage in StageTransition.objects.filter(
            idea_id__in=idea_ids
        ).values_list("idea_id", "to_stage"):
            reached[idea_id].add(stage)
        outcomes: dict[int, list[str]] = defaultdict(list)
        for idea_id, kind in Outcome.objects.filter(idea_id__in=idea_ids).values_list(
            "idea_id", "kind"
        ):
            outcomes[idea_id].append(kind)
        for person in people:
            for role, idea_id in sorted(
                roles.get(person.pk, []), key=lambda r: (r[1], ROLE_ORDER[r[0]])
            ):
                idea = ideas[idea_id]
                yield self._row(
                    viewer, person, role, idea, reached[idea_id], outcomes[idea_id]
                )

    def _row(self, viewer, person, role, idea, reached, outcomes):
        stages = reached | {idea.stage}
        furthest = max(
            (s for s in stages if s in FORWARD), key=FORWARD.index, default=""
        )
        if outcomes:
            outcome = ", ".join(sorted(outcomes))
        elif idea.stage in FINAL:
            outcome = idea.stage
        else:
            outcome = "in progress"
        hidden = (
            role in ("captain", "member")
            and viewer.user.pk != person.pk
            and not viewer.sees_names(idea)
        )
        registration = getattr(idea, "registration", None)
        return [
            person.employee_number,
            str(person),
            person.email,
            person.department.name if person.department else "",
            role,
            "" if hidden else idea.pk,
            "" if hidden or registration is None else registration.code,
            _("(an anonymous team's idea)") if hidden else idea.title,
            idea.racecourse.season.name,
            "" if hidden else idea.racecourse.name,
            furthest,
            idea.stage,
            outcome,
        ]


register(RecordsExport())
