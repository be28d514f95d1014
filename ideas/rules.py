"""Who may do what with an idea. One place: views, APIs and services ask here.

Predicates take ``(user, idea)``. What a user may *see* of an idea is decided
in ``ideas.visibility`` (``ideas.view_idea``, ``read_content``, ``see_team``);
the rules here are about what they may *do*.
"""

import rules

from horserace.accounts.rules import is_hr_admin

from .funnel import FINAL, WITHDRAWABLE
from .models import Stage
from .visibility import (
    can_read_content,
    is_captain,
    is_draft,
    is_idea_racecourse_admin,
    is_idea_trainer,
    is_team_member,
    was_idea_trainer,
)


@rules.predicate
def is_live(user, idea) -> bool:
    return idea.stage not in FINAL


@rules.predicate
def is_withdrawable(user, idea) -> bool:
    return idea.stage in WITHDRAWABLE


can_edit_idea = is_captain & is_live
can_register_idea = is_captain & is_draft
can_withdraw_idea = is_captain & is_withdrawable
can_manage_team = is_captain & is_live
can_request_to_join = (
    rules.is_authenticated & ~is_team_member & is_live & can_read_content
)
can_leave_team = is_team_member & ~is_captain

rules.add_perm("ideas.change_idea", can_edit_idea)
rules.add_perm("ideas.register_idea", can_register_idea)
rules.add_perm("ideas.withdraw_idea", can_withdraw_idea)
rules.add_perm("ideas.manage_team", can_manage_team)
rules.add_perm("ideas.request_join", can_request_to_join)
rules.add_perm("ideas.leave_team", can_leave_team)
rules.add_perm("ideas.add_idea", rules.is_authenticated & rules.is_active)


# --- the Innovation Farm (ideas.services.farm) ---


@rules.predicate
def is_on_farm(user, idea) -> bool:
    return idea.racecourse.is_farm


@rules.predicate
def passed_farm_screening(user, idea) -> bool:
    """In gestation on the farm: a farm round passed it."""
    return idea.stage == Stage.GESTATION


@rules.predicate
def is_eliminated(user, idea) -> bool:
    return idea.stage == Stage.ELIMINATED


rules.add_perm(
    "ideas.carry_idea",
    (is_captain | is_hr_admin) & is_on_farm & passed_farm_screening,
)
rules.add_perm(
    "ideas.replant_idea", (is_captain | is_hr_admin) & is_eliminated & ~is_on_farm
)

# --- gestation ---
# Gestation: resources, trainers, progress and the final proposal. Requests and
# grants are seen by the team, the racecourse's admins and HR; trainer sessions
# by the team, its trainers and HR (never racecourse admins). Writes are open
# only while the idea is in gestation.


@rules.predicate
def is_gestating(user, idea) -> bool:
    return idea is not None and idea.stage == Stage.GESTATION


def gestation_window_of(idea):
    """The racecourse's gestation window, or None (uses prefetched windows)."""
    from contests.models import WindowStage
    from contests.selectors import window_get

    return window_get(racecourse=idea.racecourse, stage=WindowStage.GESTATION)


@rules.predicate
def gestation_window_open(user, idea) -> bool:
    """The racecourse's gestation window is open now (False when it has none)."""
    window = gestation_window_of(idea)
    return window is not None and window.is_open()


@rules.predicate
def gestation_window_closed(user, idea) -> bool:
    """The deadline has passed: the window closed (or there is none to wait for)."""
    from django.utils import timezone

    window = gestation_window_of(idea)
    return window is None or window.closes_at <= timezone.now()


@rules.predicate
def has_active_extension(user, idea) -> bool:
    from django.utils import timezone

    return idea.proposal_extensions.filter(until__gt=timezone.now()).exists()


@rules.predicate
def proposal_time_left(user, idea) -> bool:
    """The window is open (or there is none), or HR extended the deadline."""
    window = gestation_window_of(idea)
    if window is None or window.is_open():
        return True
    return has_active_extension(user, idea)


# A racecourse admin manages only the projects they may read: a confidential
# project only once they opened it (ideas.visibility), as in realization.
is_gestation_manager = is_hr_admin | (is_idea_racecourse_admin & can_read_content)

# The workspace and the trainer's notes are the project's body: HR and the
# admin run the desk (grants, trainers) without opening a confidential
# project, but read its workspace only once they opened it.
can_view_gestation = (
    is_team_member | was_idea_trainer | (is_gestation_manager & can_read_content)
)
can_see_resources = is_team_member | is_gestation_manager
can_see_sessions = is_team_member | was_idea_trainer | (is_hr_admin & can_read_content)

rules.add_perm("ideas.view_gestation", can_view_gestation)
rules.add_perm("ideas.see_resources", can_see_resources)
rules.add_perm("ideas.request_resources", is_captain & is_gestating)
rules.add_perm("ideas.decide_resources", is_gestation_manager & is_gestating)
rules.add_perm("ideas.request_trainer", is_captain & is_gestating)
rules.add_perm("ideas.assign_trainer", is_gestation_manager & is_gestating)
rules.add_perm("ideas.end_trainer", is_gestation_manager)
rules.add_perm("ideas.see_sessions", can_see_sessions)
rules.add_perm("ideas.log_session", is_idea_trainer & is_gestating)
rules.add_perm("ideas.see_progress", can_read_content)


@rules.predicate
def proposal_submitted(user, idea) -> bool:
    return hasattr(idea, "final_proposal")


# Files the team attaches to its proposal are its draft until it submits.
rules.add_perm(
    "ideas.see_proposal_files",
    can_view_gestation | (can_read_content & proposal_submitted),
)
rules.add_perm("ideas.set_milestones", is_captain & is_gestating)
rules.add_perm("ideas.post_progress", is_team_member & is_gestating)
rules.add_perm("ideas.submit_proposal", is_captain & is_gestating & proposal_time_left)
rules.add_perm("ideas.grant_extension", is_hr_admin & is_gestating)
rules.add_perm(
    "ideas.eliminate_without_proposal",
    is_hr_admin & is_gestating & gestation_window_closed,
)
# --- realization ---
# Realization: who records outcomes, plans and releases the investment, and
# who sees it. HR does everything; a racecourse admin manages the projects of
# racecourses they run (and may see); the team submits milestone reviews; only
# HR releases money; only the member's manager decides a time allocation.


def idea_reached_realization(idea) -> bool:
    """Was the idea ever selected for realization (whatever became of it)?

    Uses prefetched ``transitions`` when the caller loaded them.
    """
    if idea is None or idea.pk is None:
        return False
    if idea.stage in (Stage.REALIZATION, Stage.REALIZED):
        return True
    prefetched = getattr(idea, "_prefetched_objects_cache", {}).get("transitions")
    if prefetched is not None:
        return any(t.to_stage == Stage.REALIZATION for t in prefetched)
    return idea.transitions.filter(to_stage=Stage.REALIZATION).exists()


@rules.predicate
def reached_realization(user, idea) -> bool:
    return idea_reached_realization(idea)


@rules.predicate
def is_in_realization(user, idea) -> bool:
    return idea is not None and idea.stage == Stage.REALIZATION


@rules.predicate
def is_allocation_manager(user, allocation) -> bool:
    return user.is_authenticated and allocation.manager_id == user.pk


@rules.predicate
def allocation_idea_funded(user, allocation) -> bool:
    """A manager may still answer once the plan completed (realized), not after
    the project was closed or withdrawn."""
    return allocation.outcome.idea.stage in (Stage.REALIZATION, Stage.REALIZED)


@rules.predicate
def runs_a_racecourse(user) -> bool:
    return user.is_authenticated and user.administered_racecourses.exists()


# A racecourse admin manages only what they may read: a confidential project
# once they opened it.
manages_realization = is_hr_admin | (is_idea_racecourse_admin & can_read_content)
can_view_realization = (
    rules.is_authenticated
    & reached_realization
    & (is_team_member | manages_realization)
)

rules.add_perm("ideas.view_realization", can_view_realization)
rules.add_perm("ideas.manage_realization", manages_realization & is_in_realization)
rules.add_perm(
    "ideas.propose_allocation",
    (manages_realization | is_captain) & is_in_realization,
)
rules.add_perm("ideas.submit_milestone_review", is_team_member & is_in_realization)
rules.add_perm("ideas.release_tranche", is_hr_admin & is_in_realization)
rules.add_perm("ideas.close_realization", is_hr_admin & is_in_realization)
rules.add_perm(
    "ideas.decide_allocation", is_allocation_manager & allocation_idea_funded
)
rules.add_perm("ideas.view_realization_desk", is_hr_admin | runs_a_racecourse)
