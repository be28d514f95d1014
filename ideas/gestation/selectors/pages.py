"""The idea page's gestation section and the team workspace."""

from typing import Any

from horserace.common.permissions import can
from ideas.gestation.selectors.progress import milestone_list, progress_update_list
from ideas.gestation.selectors.proposal import (
    final_proposal_get,
    proposal_attachments,
    proposal_deadline,
)
from ideas.gestation.selectors.resources import budget_list, resource_request_list
from ideas.gestation.selectors.trainers import (
    trainer_assignment_list,
    trainer_sessions_visible,
)
from ideas.models import Idea, ProposalExtension, Stage, TrainerAssignment


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
    ``trainer`` (the active or, after gestation, the last assignment; or
    None), ``milestones``, ``milestones_done``, ``updates`` (latest three), ``proposal`` and
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
            # The coach now, or the last one once the idea has moved on.
            trainer_assignment_list(idea=idea)
            .filter(
                status__in=[
                    TrainerAssignment.Status.ACTIVE,
                    TrainerAssignment.Status.ENDED,
                ]
            )
            .order_by("-assigned_at", "-pk")
            .first()
        )
    if can(user, "ideas.see_resources", idea):
        story["resources"] = [
            line
            for line in budget_list(idea=idea)
            # The stubs cannot type annotate() fields added only when an idea
            # is given (budget_list), so team_granted is unknown to them.
            if line.team_granted > 0  # type: ignore[attr-defined]
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
    # The team names evaluators it has a conflict with before evaluation.
    perms["view_idea_conflicts"] = can(user, "voting.view_idea_conflicts", idea)
    milestones = list(milestone_list(idea=idea))
    context: dict[str, Any] = {
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


def gestation_idea_get(*, user, pk: int, perm: str | None = None) -> Idea:
    """The idea for a gestation page or call, with what they read prefetched.

    404 when it never reached gestation or the user may see neither the idea
    nor its gestation; 403 (``PermissionDenied``) when they may see it but do
    not hold ``perm`` (when given). The pages and the API ask the same.
    """
    from django.core.exceptions import PermissionDenied
    from django.db.models import Prefetch
    from django.http import Http404
    from django.utils.translation import gettext as _

    from contests.models import StageWindow
    from ideas.models import StageTransition, TeamMembership

    idea = (
        Idea.objects.select_related("racecourse__season", "author")
        .prefetch_related(
            Prefetch(
                "memberships", queryset=TeamMembership.objects.select_related("user")
            ),
            Prefetch("transitions", queryset=StageTransition.objects.all()),
            Prefetch("racecourse__windows", queryset=StageWindow.objects.all()),
        )
        .filter(pk=pk)
        .first()
    )
    if (
        idea is None
        or not reached_gestation(idea)
        or not (
            can(user, "ideas.view_idea", idea)
            or can(user, "ideas.view_gestation", idea)
        )
    ):
        raise Http404
    if perm is not None and not can(user, perm, idea):
        raise PermissionDenied(_("You may not see this part of the project."))
    return idea
