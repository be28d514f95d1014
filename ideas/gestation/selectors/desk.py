"""The racecourse's gestation desk: projects, queue, budgets and trainers."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from contests.models import Racecourse, WindowStage
from contests.selectors import window_get
from ideas.gestation.selectors.progress import with_progress
from ideas.gestation.selectors.resources import OPEN, budget_list, grant_queue
from ideas.gestation.selectors.trainers import trainer_assignment_list, trainer_pool
from ideas.models import (
    Idea,
    ProposalExtension,
    ResourceRequest,
    Stage,
    TrainerAssignment,
)


def gestation_projects(*, racecourse: Racecourse, user, when=None) -> list[Idea]:
    """The racecourse's projects in gestation with progress, trainer and extension.

    Each idea carries ``milestones_*``, ``last_update_at``, ``open_requests``,
    ``extension_until`` (latest running extension) and ``trainer_name``.
    """
    from ideas.selectors import idea_list_manageable

    when = when or timezone.now()
    open_requests = (
        ResourceRequest.objects.filter(idea=OuterRef("pk"), status__in=OPEN)
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    extension = (
        ProposalExtension.objects.filter(idea=OuterRef("pk"), until__gt=when)
        .order_by("-until")
        .values("until")[:1]
    )
    trainer = (
        TrainerAssignment.objects.filter(
            idea=OuterRef("pk"), status=TrainerAssignment.Status.ACTIVE
        )
        .order_by()
        .values("trainer__user__display_name")[:1]
    )
    qs = idea_list_manageable(user=user).filter(
        racecourse=racecourse, stage=Stage.GESTATION
    )
    qs = Idea.objects.filter(pk__in=qs.values("pk")).annotate(
        open_requests=Coalesce(Subquery(open_requests), 0),
        extension_until=Subquery(extension),
        trainer_name=Subquery(trainer),
    )
    return list(with_progress(qs).order_by("title", "pk"))


def gestation_desk(*, racecourse: Racecourse, user) -> dict:
    """Everything the racecourse's gestation desk shows ``user``, in a fixed
    number of queries. A racecourse admin sees only the projects they may
    read (a confidential one once opened); HR sees them all."""
    from ideas.selectors import idea_list_manageable

    now = timezone.now()
    visible = idea_list_manageable(user=user).values("pk")
    window = window_get(racecourse=racecourse, stage=WindowStage.GESTATION)
    assignments = list(
        trainer_assignment_list(racecourse=racecourse)
        .filter(idea__in=visible)
        .filter(
            status__in=[
                TrainerAssignment.Status.REQUESTED,
                TrainerAssignment.Status.ACTIVE,
            ]
        )
    )
    return {
        "queue": list(grant_queue(racecourse=racecourse).filter(idea__in=visible)),
        "budgets": list(budget_list(racecourse=racecourse)),
        "trainer_requests": [a for a in assignments if a.status == "requested"],
        "active_assignments": [a for a in assignments if a.status == "active"],
        "pool": list(trainer_pool(season=racecourse.season)),
        "projects": gestation_projects(racecourse=racecourse, when=now, user=user),
        "window": window,
        "window_closed": window is not None and window.closes_at <= now,
        "now": now,
    }
