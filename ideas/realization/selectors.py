"""Reads for realization: one project's record, the HR desk, a manager's
approvals, and the summary on the idea page.

Who sees what: the team, HR and the racecourse's admins (``ideas.view_realization``)
see everything — outcomes, every time allocation, the plan with its amounts
and reviews. Anyone else who may see the idea sees, on the idea page, the
outcomes and that the project is funded in stages (how many released), never
amounts, reviews or people's time.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from contests.selectors import racecourses_managed
from horserace.common.permissions import can
from ideas.models import (
    Idea,
    InvestmentPlan,
    Ledger,
    Outcome,
    Stage,
    TimeAllocation,
    Tranche,
)
from ideas.rules import idea_reached_realization
from ideas.selectors import idea_get_visible, idea_list_manageable


def next_tranche(plan: InvestmentPlan) -> Tranche | None:
    """The first tranche not yet released or cancelled: the one the team works
    towards (planned) or HR is reviewing (in review)."""
    for tranche in plan.tranches.all():
        if tranche.status in (Tranche.Status.PLANNED, Tranche.Status.IN_REVIEW):
            return tranche
    return None


def _tranches_prefetch(lookup: str = "tranches") -> Prefetch:
    return Prefetch(
        lookup,
        queryset=Tranche.objects.select_related(
            "review_submitted_by", "released_by"
        ).order_by("position"),
    )


def investment_plan_get(*, idea: Idea) -> InvestmentPlan | None:
    """The idea's plan with its tranches in order and its ledger, or None."""
    return (
        InvestmentPlan.objects.filter(idea=idea)
        .select_related("created_by")
        .prefetch_related(_tranches_prefetch())
        .first()
    )


def outcome_list(*, idea: Idea) -> list[Outcome]:
    """The idea's outcomes, oldest first, each with its allocations."""
    return list(
        Outcome.objects.filter(idea=idea)
        .select_related("department", "owner", "recorded_by")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=TimeAllocation.objects.select_related(
                    "member", "manager"
                ).order_by("member__display_name", "pk"),
            )
        )
        .order_by("created_at", "pk")
    )


def realization_get(*, user, pk: int) -> Idea:
    """The idea for its realization page.

    404 when the user may not see the idea or it never reached realization;
    403 when they may see the idea but not its realization.
    """
    idea = idea_get_visible(user=user, pk=pk)
    if not idea_reached_realization(idea):
        raise Http404
    if not can(user, "ideas.view_realization", idea):
        raise PermissionDenied(
            _("Only the team, HR and the racecourse's admins see this page.")
        )
    return idea


def realization_detail(*, idea: Idea) -> dict:
    """Everything the realization page shows (for someone allowed to see it)."""
    outcomes = outcome_list(idea=idea)
    plan = investment_plan_get(idea=idea)
    return {
        "idea": idea,
        "outcomes": outcomes,
        "allocations": [a for o in outcomes for a in o.allocations.all()],
        "plan": plan,
        "ledger": plan.ledger if plan else None,
        "tranches": list(plan.tranches.all()) if plan else [],
        "next_tranche": next_tranche(plan) if plan else None,
    }


def realization_story(*, idea: Idea, user) -> dict | None:
    """The realization summary for the idea page, or None if it never got there.

    The template ``ideas/realization/_story.html`` renders it (as
    ``realization``). ``full`` says whether the user sees amounts, allocations
    and tranches; otherwise only outcomes and the plan's status and progress.
    """
    if not idea_reached_realization(idea):
        return None
    full = can(user, "ideas.view_realization", idea)
    detail = realization_detail(idea=idea)
    plan, ledger = detail["plan"], detail["ledger"]
    return {
        "idea": idea,
        "full": full,
        "outcomes": detail["outcomes"],
        "allocations": [a for a in detail["allocations"] if a.approved_at]
        if full
        else [],
        "plan": plan,
        "plan_status": plan.get_status_display() if plan else "",
        "released_count": ledger.released_count if ledger else 0,
        "tranche_count": ledger.tranche_count if ledger else 0,
        "ledger": ledger if full else None,
        "tranches": detail["tranches"] if full else [],
    }


# --- Lists ------------------------------------------------------------------------


@dataclass(frozen=True)
class Project:
    """A project on the realization desk: the idea, its plan (or None), the
    plan's ledger and the tranche the team works towards."""

    idea: Idea
    plan: InvestmentPlan | None
    ledger: Ledger | None
    next: Tranche | None

    @property
    def pk(self) -> int:
        return self.idea.pk


def realization_projects(*, user, stage: str = Stage.REALIZATION) -> list[Project]:
    """Projects in ``stage`` that the user manages (HR: every one; a racecourse
    admin: those of their racecourses they may read), each with its plan (or
    None) and the plan's ``ledger``. Title order."""
    managed = racecourses_managed(user=user)
    ideas = idea_list_manageable(user=user).filter(stage=stage)
    if not managed.everything:
        ideas = ideas.filter(racecourse_id__in=managed.ids)
    projects = []
    for idea in (
        ideas.select_related("investment_plan")
        .prefetch_related(_tranches_prefetch("investment_plan__tranches"))
        .order_by("title", "pk")
    ):
        plan = getattr(idea, "investment_plan", None)
        projects.append(
            Project(
                idea=idea,
                plan=plan,
                ledger=plan.ledger if plan else None,
                next=next_tranche(plan) if plan else None,
            )
        )
    return projects


def _realization_scope(user, prefix: str) -> Q:
    """Ideas (reached through ``prefix``) whose realization the user may see."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    managed = racecourses_managed(user=user)
    if managed.everything:
        return Q()
    visible = idea_list_manageable(user=user).values("pk")
    team = Q(**{f"{prefix}memberships__user": user})
    admin = Q(**{f"{prefix}racecourse_id__in": managed.ids, f"{prefix}pk__in": visible})
    return team | admin


def tranche_reviews_waiting(*, user) -> QuerySet[Tranche]:
    """Milestone reviews waiting for HR that the user may see, oldest first."""
    ids = Tranche.objects.filter(
        _realization_scope(user, "plan__idea__"),
        status=Tranche.Status.IN_REVIEW,
        plan__idea__stage=Stage.REALIZATION,
    ).values("pk")
    return (
        Tranche.objects.filter(pk__in=ids)
        .select_related("plan__idea__racecourse", "review_submitted_by", "released_by")
        .order_by("review_submitted_at", "pk")
    )


def tranche_get_visible(*, user, pk) -> Tranche:
    """A tranche with its plan and idea, or 404 unless the user may see the
    idea's realization."""
    tranche = (
        Tranche.objects.select_related(
            "plan__idea__racecourse", "review_submitted_by", "released_by"
        )
        .filter(pk=pk)
        .first()
    )
    if tranche is None or not can(user, "ideas.view_realization", tranche.plan.idea):
        raise Http404
    return tranche


def outcome_get_visible(*, user, pk) -> Outcome:
    outcome = Outcome.objects.select_related("idea__racecourse").filter(pk=pk).first()
    if outcome is None or not can(user, "ideas.view_realization", outcome.idea):
        raise Http404
    return outcome


def allocation_list(*, user) -> QuerySet[TimeAllocation]:
    """Time allocations the user decides (as manager) or that are theirs."""
    if not user.is_authenticated:
        return TimeAllocation.objects.none()
    return (
        TimeAllocation.objects.filter(Q(manager=user) | Q(member=user))
        .select_related("outcome__idea__racecourse", "member__department", "manager")
        .order_by("-created_at", "-pk")
    )


def allocations_waiting(*, user) -> QuerySet[TimeAllocation]:
    """Allocations waiting for the user's decision as the member's manager."""
    return allocation_list(user=user).filter(
        manager=user,
        approved_at__isnull=True,
        declined_at__isnull=True,
        outcome__idea__stage__in=[Stage.REALIZATION, Stage.REALIZED],
    )


def allocation_get_visible(*, user, pk) -> TimeAllocation:
    """An allocation for its manager, its member, or whoever sees the project's
    realization; 404 for anyone else."""
    allocation = (
        TimeAllocation.objects.select_related(
            "outcome__idea__racecourse", "member", "manager"
        )
        .filter(pk=pk)
        .first()
    )
    if allocation is None:
        raise Http404
    if user.pk in (allocation.manager_id, allocation.member_id):
        return allocation
    if not can(user, "ideas.view_realization", allocation.outcome.idea):
        raise Http404
    return allocation


def team_members(*, idea: Idea) -> QuerySet:
    """The team's people, for the allocation form (with their managers)."""
    return (
        get_user_model()
        .objects.filter(memberships__idea=idea)
        .select_related("manager")
        .order_by("display_name")
    )


__all__ = [
    "Ledger",
    "Project",
    "allocation_get_visible",
    "allocation_list",
    "allocations_waiting",
    "investment_plan_get",
    "next_tranche",
    "outcome_get_visible",
    "outcome_list",
    "realization_detail",
    "realization_get",
    "realization_projects",
    "realization_story",
    "team_members",
    "tranche_get_visible",
    "tranche_reviews_waiting",
]
