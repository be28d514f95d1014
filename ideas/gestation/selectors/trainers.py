"""Trainers: the season's pool, assignments and the sessions one may read."""

from django.db.models import Count, Max, Q, QuerySet

from contests.models import Racecourse, Season, Trainer
from horserace.accounts.rules import is_hr_admin
from horserace.common.permissions import can
from ideas.models import Idea, TrainerAssignment, TrainerSession
from ideas.visibility import is_idea_trainer, is_team_member, was_idea_trainer


def trainer_pool(*, season: Season) -> QuerySet[Trainer]:
    """The season's trainers with ``load``, their active assignments."""
    return (
        Trainer.objects.filter(season=season)
        .select_related("user")
        .annotate(
            load=Count(
                "assignments",
                filter=Q(assignments__status=TrainerAssignment.Status.ACTIVE),
            )
        )
        .order_by("-is_active", "user__display_name", "pk")
    )


def trainer_assignment_list(
    *, idea: Idea | None = None, racecourse: Racecourse | None = None
) -> QuerySet[TrainerAssignment]:
    qs = TrainerAssignment.objects.select_related(
        "idea__racecourse", "trainer__user", "requested_by", "assigned_by"
    )
    if idea is not None:
        qs = qs.filter(idea=idea)
    if racecourse is not None:
        qs = qs.filter(idea__racecourse=racecourse)
    return qs.order_by("-created_at", "-pk")


def trainer_assignments_visible(*, user) -> QuerySet[TrainerAssignment]:
    """Assignments the user may read: their teams', their own as trainer, the
    racecourses they manage; HR all."""
    qs = trainer_assignment_list()
    if not user.is_authenticated:
        return qs.none()
    if can(user, "contests.manage_season"):
        return qs
    from ideas.selectors import idea_list_manageable

    return qs.filter(
        Q(idea__memberships__user=user)
        | Q(
            idea__racecourse__admins=user,
            idea__in=idea_list_manageable(user=user).values("pk"),
        )
        | Q(trainer__user=user)
    ).distinct()


def trainer_teams(*, user) -> QuerySet[TrainerAssignment]:
    """The teams the user coaches or coached, current first, with session counts."""
    return (
        trainer_assignment_list()
        .filter(
            trainer__user=user,
            status__in=[
                TrainerAssignment.Status.ACTIVE,
                TrainerAssignment.Status.ENDED,
            ],
        )
        .select_related("idea__racecourse__season")
        .annotate(
            session_count=Count("sessions", distinct=True),
            last_session=Max("sessions__held_on"),
        )
        .order_by("status", "-assigned_at", "-pk")  # "active" sorts before "ended"
    )


def trainer_sessions_visible(*, idea: Idea, user) -> QuerySet[TrainerSession]:
    """The team's sessions as ``user`` may read them: all for the team, HR and
    the current trainer; their own for a past trainer; none for anyone else."""
    qs = TrainerSession.objects.filter(assignment__idea=idea).select_related(
        "assignment__trainer__user", "logged_by"
    )
    if is_team_member(user, idea) or is_hr_admin(user) or is_idea_trainer(user, idea):
        return qs
    if was_idea_trainer(user, idea):
        return qs.filter(assignment__trainer__user=user)
    return qs.none()
