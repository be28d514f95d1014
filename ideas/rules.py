"""Who may do what with an idea. One place: views, APIs and services ask here.

Predicates take ``(user, idea)``. Visibility for lists is the same logic as a
queryset filter in ``ideas.selectors.idea_list_visible``; a test checks that
the two agree.
"""

import rules

from contests.rules import is_racecourse_admin
from horserace.accounts.rules import is_evaluator, is_hr_admin

from .funnel import FINAL, WITHDRAWABLE
from .models import RequestStatus, Stage, TeamMembership, Visibility


def _membership(user, idea) -> str | None:
    """The user's role on the idea's team, or None.

    Uses prefetched ``memberships``, or the ``viewer_membership`` a selector
    annotated, when the caller loaded them, so hot paths ask nothing more.
    """
    if not user.is_authenticated or idea is None or idea.pk is None:
        return None
    viewer = getattr(idea, "viewer_membership", None)  # (user id, role) if loaded
    if viewer is not None and viewer[0] == user.pk:
        return viewer[1]
    prefetched = getattr(idea, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:
        return next((m.role for m in prefetched if m.user_id == user.pk), None)
    return (
        TeamMembership.objects.filter(idea=idea, user=user)
        .values_list("role", flat=True)
        .first()
    )


@rules.predicate
def is_team_member(user, idea) -> bool:
    return _membership(user, idea) is not None


@rules.predicate
def is_captain(user, idea) -> bool:
    return _membership(user, idea) == TeamMembership.Role.CAPTAIN


@rules.predicate
def is_invited(user, idea) -> bool:
    """A pending invitation lets the invitee read the idea, even a draft."""
    return (
        user.is_authenticated
        and idea.pk is not None
        and idea.invitations.filter(invitee=user, status=RequestStatus.PENDING).exists()
    )


@rules.predicate
def is_idea_racecourse_admin(user, idea) -> bool:
    return idea is not None and is_racecourse_admin(user, idea.racecourse)


@rules.predicate
def in_racecourse_audience(user, idea) -> bool:
    """Main racecourse and farm: everyone; department racecourse: its department."""
    racecourse = idea.racecourse
    if racecourse.department_id is None or racecourse.kind != "department":
        return True
    return user.department_id in racecourse.department.descendant_ids()


@rules.predicate
def is_draft(user, idea) -> bool:
    return idea.stage == Stage.DRAFT


@rules.predicate
def is_live(user, idea) -> bool:
    return idea.stage not in FINAL


@rules.predicate
def is_withdrawable(user, idea) -> bool:
    return idea.stage in WITHDRAWABLE


@rules.predicate
def visibility_everyone(user, idea) -> bool:
    return idea.visibility == Visibility.EVERYONE


@rules.predicate
def visibility_racecourse(user, idea) -> bool:
    return idea.visibility == Visibility.RACECOURSE


can_view_idea = rules.is_authenticated & (
    is_team_member
    | is_hr_admin
    | (
        ~is_draft
        & (
            visibility_everyone
            | (
                visibility_racecourse
                & (in_racecourse_audience | is_idea_racecourse_admin)
            )
            | (~visibility_everyone & ~visibility_racecourse & is_evaluator)
        )
    )
    | is_invited
)


@rules.predicate
def is_anonymous_idea(user, idea) -> bool:
    return idea.anonymous


# Anonymity hides the team from voters and evaluators, never from itself or HR.
# ``ideas.apis.serializers.Viewer.sees_names`` is the batch form of this rule.
can_see_team = is_team_member | is_hr_admin | ~is_anonymous_idea
can_edit_idea = is_captain & is_live
can_register_idea = is_captain & is_draft
can_withdraw_idea = is_captain & is_withdrawable
can_manage_team = is_captain & is_live
can_request_to_join = rules.is_authenticated & ~is_team_member & is_live & can_view_idea
can_leave_team = is_team_member & ~is_captain

rules.add_perm("ideas.view_idea", can_view_idea)
rules.add_perm("ideas.see_team", can_see_team)
rules.add_perm("ideas.change_idea", can_edit_idea)
rules.add_perm("ideas.register_idea", can_register_idea)
rules.add_perm("ideas.withdraw_idea", can_withdraw_idea)
rules.add_perm("ideas.manage_team", can_manage_team)
rules.add_perm("ideas.request_join", can_request_to_join)
rules.add_perm("ideas.leave_team", can_leave_team)
rules.add_perm("ideas.add_idea", rules.is_authenticated & rules.is_active)

# --- gestation (helper) ---
# --- end gestation ---

# --- realization (helper) ---
# --- end realization ---
