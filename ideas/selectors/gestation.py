"""Reads for gestation: budgets, requests, trainers, progress and the proposal.

Who sees what is decided here, once, from ``ideas.rules``: resource requests
and grants are for the team, the racecourse's admins and HR; trainer sessions
for the team, its trainers (a past trainer sees their own sessions) and HR;
milestones, updates and the proposal for whoever may see the idea.
"""

from datetime import datetime
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from contests.models import Racecourse, ResourceBudget, Season, Trainer, WindowStage
from contests.selectors import window_get
from horserace.accounts.rules import is_hr_admin
from horserace.core.permissions import can

from ..models import (
    Attachment,
    FinalProposal,
    Idea,
    Milestone,
    ProgressUpdate,
    ProposalExtension,
    ResourceRequest,
    ResourceRequestMessage,
    Stage,
    TrainerAssignment,
    TrainerSession,
)
from ..rules import (
    gestation_window_of,
    is_idea_trainer,
    is_team_member,
    was_idea_trainer,
)

OPEN = (ResourceRequest.Status.PENDING, ResourceRequest.Status.QUESTION)
_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Value(Decimal("0"), output_field=_MONEY)


# --- Budgets ----------------------------------------------------------------------


def _request_sum(field: str, statuses, **match) -> Coalesce:
    """Sum of ``field`` over requests of the budget's resource on its racecourse."""
    rows = (
        ResourceRequest.objects.filter(
            resource=OuterRef("resource"),
            idea__racecourse=OuterRef("racecourse"),
            status__in=statuses,
            **match,
        )
        .order_by()
        .values("resource")
        .annotate(total=Coalesce(Sum(field, output_field=_MONEY), _ZERO))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=_MONEY), _ZERO)


def budget_list(
    *, racecourse: Racecourse | None = None, idea: Idea | None = None
) -> QuerySet[ResourceBudget]:
    """Budgets with ``granted``, ``pending`` (asked, undecided) and ``left``.

    With ``idea``: the budgets of its racecourse, plus ``team_granted`` and
    ``team_pending``, what that team has been granted and still waits for.
    One query.
    """
    racecourse = racecourse or idea.racecourse
    granted = [ResourceRequest.Status.GRANTED]
    qs = (
        ResourceBudget.objects.filter(racecourse=racecourse)
        .select_related("resource")
        .annotate(
            granted=_request_sum("granted_amount", granted),
            pending=_request_sum("amount", OPEN),
        )
        .annotate(left=F("amount") - F("granted"))
    )
    if idea is not None:
        qs = qs.annotate(
            team_granted=_request_sum("granted_amount", granted, idea=idea.pk),
            team_pending=_request_sum("amount", OPEN, idea=idea.pk),
        )
    return qs.order_by("resource__kind", "resource__name")


# --- Resource requests --------------------------------------------------------------


def resource_request_list(
    *,
    idea: Idea | None = None,
    racecourse: Racecourse | None = None,
    statuses=None,
) -> QuerySet[ResourceRequest]:
    """Requests with their resource, people and conversation, oldest open first."""
    qs = ResourceRequest.objects.select_related(
        "idea__racecourse", "resource", "requested_by", "decided_by"
    ).prefetch_related(
        Prefetch(
            "messages",
            queryset=ResourceRequestMessage.objects.select_related("author"),
        )
    )
    if idea is not None:
        qs = qs.filter(idea=idea)
    if racecourse is not None:
        qs = qs.filter(idea__racecourse=racecourse)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs


def grant_queue(*, racecourse: Racecourse) -> QuerySet[ResourceRequest]:
    """Open requests of the racecourse's teams in gestation, oldest first."""
    return (
        resource_request_list(racecourse=racecourse, statuses=OPEN)
        .filter(idea__stage=Stage.GESTATION)
        .order_by("created_at", "pk")
    )


def resource_requests_visible(*, user) -> QuerySet[ResourceRequest]:
    """Requests the user may read: own teams', managed racecourses', all for HR."""
    qs = resource_request_list()
    if not user.is_authenticated:
        return qs.none()
    if can(user, "contests.manage_season"):
        return qs
    return qs.filter(
        Q(idea__memberships__user=user) | Q(idea__racecourse__admins=user)
    ).distinct()


# --- Trainers -------------------------------------------------------------------------


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
    return qs.filter(
        Q(idea__memberships__user=user)
        | Q(idea__racecourse__admins=user)
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


# --- Progress -------------------------------------------------------------------------


def milestone_list(*, idea: Idea) -> QuerySet[Milestone]:
    return Milestone.objects.filter(idea=idea).order_by("position", "due_on", "pk")


def progress_update_list(*, idea: Idea) -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(idea=idea).select_related(
        "author", "milestone"
    )


def with_progress(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """Annotate ideas with ``milestones_total``, ``milestones_done`` and
    ``last_update_at``, as subqueries (no grouping of the whole list)."""

    def count(**match):
        rows = (
            Milestone.objects.filter(idea=OuterRef("pk"), **match)
            .order_by()
            .values("idea")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    last = (
        ProgressUpdate.objects.filter(idea=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return qs.annotate(
        milestones_total=count(),
        milestones_done=count(done_at__isnull=False),
        last_update_at=Subquery(last),
    )


def gestation_progress_list(*, user, racecourse: Racecourse) -> list[Idea]:
    """The racecourse's projects in gestation the user may see, with progress.

    For the racecourse page: one query, whatever the number of projects.
    """
    from . import idea_list_visible

    qs = idea_list_visible(user=user, racecourse=racecourse, stage=Stage.GESTATION)
    return list(with_progress(qs).order_by("title", "pk"))


# --- Deadlines -------------------------------------------------------------------------


def extension_active(*, idea: Idea, when: datetime | None = None):
    """The latest extension still running at ``when``, or None."""
    when = when or timezone.now()
    return (
        ProposalExtension.objects.filter(idea=idea, until__gt=when)
        .select_related("granted_by")
        .order_by("-until")
        .first()
    )


def proposal_deadline(*, idea: Idea, when: datetime | None = None) -> dict:
    """When the proposal is due: ``{"window", "closes_at", "extension", "open"}``.

    ``open`` says whether the proposal may be submitted now (time-wise).
    """
    when = when or timezone.now()
    window = gestation_window_of(idea)
    extension = extension_active(idea=idea, when=when)
    window_open = window is None or window.is_open(when)
    return {
        "window": window,
        "closes_at": window.closes_at if window else None,
        "extension": extension,
        "open": window_open or extension is not None,
        "window_closed": window is not None and window.closes_at <= when,
    }


def proposal_attachments(*, idea: Idea) -> QuerySet[Attachment]:
    return Attachment.objects.filter(idea=idea, kind=Attachment.Kind.PROPOSAL)


def final_proposal_get(*, idea: Idea) -> FinalProposal | None:
    return (
        FinalProposal.objects.filter(idea=idea).select_related("submitted_by").first()
    )


# --- The racecourse desk ----------------------------------------------------------------


def gestation_projects(*, racecourse: Racecourse, when=None) -> list[Idea]:
    """The racecourse's projects in gestation with progress, trainer and extension.

    Each idea carries ``milestones_*``, ``last_update_at``, ``open_requests``,
    ``extension_until`` (latest running extension) and ``trainer_name``.
    """
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
    qs = Idea.objects.filter(racecourse=racecourse, stage=Stage.GESTATION).annotate(
        open_requests=Coalesce(Subquery(open_requests), 0),
        extension_until=Subquery(extension),
        trainer_name=Subquery(trainer),
    )
    return list(with_progress(qs).order_by("title", "pk"))


def gestation_desk(*, racecourse: Racecourse) -> dict:
    """Everything the racecourse's gestation desk shows, in a fixed number of
    queries."""
    now = timezone.now()
    window = window_get(racecourse=racecourse, stage=WindowStage.GESTATION)
    assignments = list(
        trainer_assignment_list(racecourse=racecourse).filter(
            status__in=[
                TrainerAssignment.Status.REQUESTED,
                TrainerAssignment.Status.ACTIVE,
            ]
        )
    )
    return {
        "queue": list(grant_queue(racecourse=racecourse)),
        "budgets": list(budget_list(racecourse=racecourse)),
        "trainer_requests": [a for a in assignments if a.status == "requested"],
        "active_assignments": [a for a in assignments if a.status == "active"],
        "pool": list(trainer_pool(season=racecourse.season)),
        "projects": gestation_projects(racecourse=racecourse, when=now),
        "window": window,
        "window_closed": window is not None and window.closes_at <= now,
        "now": now,
    }


# --- The idea page and the team workspace ----------------------------------------------


def reached_gestation(idea: Idea) -> bool:
    """Was the idea ever in gestation? (Uses prefetched transitions.)"""
    if idea.stage == Stage.GESTATION:
        return True
    return any(t.to_stage == Stage.GESTATION for t in idea.transitions.all())


def gestation_story(*, idea: Idea, user) -> dict | None:
    """The idea page's gestation section, holding only what ``user`` may see.

    ``None`` when the idea never reached gestation. Keys: ``idea``,
    ``in_gestation``, ``workspace_url`` (team, trainers, racecourse admins and
    HR), ``resources`` (granted budget lines, or None when hidden),
    ``trainer`` (the active assignment, or None), ``milestones``,
    ``milestones_done``, ``updates`` (latest three), ``proposal`` and
    ``proposal_files``, ``deadline`` (see ``proposal_deadline``).
    """
    from django.urls import reverse

    if not reached_gestation(idea):
        return None
    story = {
        "idea": idea,
        "in_gestation": idea.stage == Stage.GESTATION,
        "workspace_url": None,
        "resources": None,
        "trainer": None,
        "milestones": [],
        "milestones_done": 0,
        "updates": [],
        "proposal": None,
        "proposal_files": [],
        "deadline": None,
    }
    if can(user, "ideas.view_gestation", idea):
        story["workspace_url"] = reverse("gestation:workspace", args=[idea.pk])
        story["trainer"] = (
            trainer_assignment_list(idea=idea)
            .filter(status=TrainerAssignment.Status.ACTIVE)
            .first()
        )
    if can(user, "ideas.see_resources", idea):
        story["resources"] = [
            line for line in budget_list(idea=idea) if line.team_granted > 0
        ]
    if can(user, "ideas.see_progress", idea):
        milestones = list(milestone_list(idea=idea))
        story["milestones"] = milestones
        story["milestones_done"] = sum(1 for m in milestones if m.is_done)
        story["updates"] = list(progress_update_list(idea=idea)[:3])
        story["proposal"] = final_proposal_get(idea=idea)
        if story["proposal"] is not None:
            story["proposal_files"] = list(proposal_attachments(idea=idea))
    if story["in_gestation"]:
        story["deadline"] = proposal_deadline(idea=idea)
    return story


def gestation_workspace(*, idea: Idea, user) -> dict:
    """The team workspace: everything the user may see of the idea's gestation."""
    perms = {
        name: can(user, f"ideas.{name}", idea)
        for name in (
            "see_resources",
            "request_resources",
            "decide_resources",
            "request_trainer",
            "assign_trainer",
            "end_trainer",
            "see_sessions",
            "log_session",
            "set_milestones",
            "post_progress",
            "submit_proposal",
            "grant_extension",
            "eliminate_without_proposal",
        )
    }
    milestones = list(milestone_list(idea=idea))
    context = {
        "idea": idea,
        "perms_gestation": perms,
        "milestones": milestones,
        "milestones_done": sum(1 for m in milestones if m.is_done),
        "updates": list(progress_update_list(idea=idea)[:50]),
        "assignments": list(trainer_assignment_list(idea=idea)),
        "sessions": list(trainer_sessions_visible(idea=idea, user=user)),
        "proposal": final_proposal_get(idea=idea),
        "proposal_files": list(proposal_attachments(idea=idea)),
        "deadline": proposal_deadline(idea=idea),
        "extensions": list(
            ProposalExtension.objects.filter(idea=idea).select_related("granted_by")
        ),
        "budgets": [],
        "requests": [],
    }
    if perms["see_resources"]:
        context["budgets"] = list(budget_list(idea=idea))
        context["requests"] = list(resource_request_list(idea=idea))
    context["active_assignment"] = next(
        (a for a in context["assignments"] if a.status == "active"), None
    )
    context["open_assignment"] = next(
        (a for a in context["assignments"] if a.status in ("active", "requested")),
        None,
    )
    return context
