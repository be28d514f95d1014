"""Who may do what in online screening.

``voting.judge`` (object: an idea) wraps ``selectors.judge_refusal`` for the
idea's round now; ``voting.view_live_counts`` (object: a screening window) is
HR and the window's racecourse admins, who see counts while voters may not.
"""

import rules

from contests.rules import is_racecourse_admin
from horserace.accounts.rules import is_hr_admin
from voting.evaluation.scorecards.selectors import (
    has_submitted,
    is_decided,
    window_closed,
)
from voting.screening.selectors.rounds import judge_refusal, screening_window


@rules.predicate
def is_window_racecourse_admin(user, window) -> bool:
    return window is not None and is_racecourse_admin(user, window.racecourse)


@rules.predicate
def may_judge(user, idea) -> bool:
    if idea is None:
        return False
    window = screening_window(racecourse=idea.racecourse)
    return judge_refusal(user=user, idea=idea, window=window) is None


can_view_live_counts = is_hr_admin | is_window_racecourse_admin

rules.add_perm("voting.view_live_counts", can_view_live_counts)
rules.add_perm("voting.judge", may_judge)

# --- evaluation: conflicts and assignments ---
# Offline evaluation: the pool, conflicts of interest, preferences and
# assignments. Objects: a racecourse for ``manage_evaluation``, a conflict for
# ``withdraw_conflict``, an idea for the rest. ``is_assigned_evaluator`` and
# ``is_conflicted_with`` (user, idea) are shared with the scorecard rules:
# an evaluator works on a project when ``is_assigned_evaluator &
# ~is_conflicted_with``.
from horserace.accounts.rules import is_evaluator  # noqa: E402
from ideas.models import Stage  # noqa: E402
from ideas.visibility import (  # noqa: E402
    can_read_content,
    is_captain,
    is_idea_racecourse_admin,
    is_team_member,
    reader_register,
)
from voting.evaluation.conflicts.automatic import (  # noqa: E402
    CONFLICT_STAGES,
    conflicted_idea_ids,
    is_conflicted,
)

from .models import Assignment, Conflict  # noqa: E402


@rules.predicate
def is_pool_evaluator(user, racecourse) -> bool:
    """In the racecourse's evaluator pool, and still holding the evaluator role."""
    if racecourse is None or not is_evaluator(user):
        return False
    return racecourse.evaluators.filter(pk=user.pk).exists()


@rules.predicate
def is_idea_pool_evaluator(user, idea) -> bool:
    return idea is not None and is_pool_evaluator(user, idea.racecourse)


@rules.predicate
def is_assigned_evaluator(user, idea) -> bool:
    """Assigned to evaluate the project (conflicts aside: combine with the next)."""
    if idea is None or not user.is_authenticated:
        return False
    return Assignment.objects.filter(idea=idea, evaluator=user).exists()


@rules.predicate
def is_conflicted_with(user, idea) -> bool:
    """An automatic or declared conflict of interest with the project."""
    return idea is not None and is_conflicted(user=user, idea=idea)


@rules.predicate
def is_in_evaluation(user, idea) -> bool:
    return idea is not None and idea.stage == Stage.EVALUATION


@rules.predicate
def is_conflict_stage(user, idea) -> bool:
    return idea is not None and idea.stage in CONFLICT_STAGES


@rules.predicate
def is_conflict_owner(user, conflict) -> bool:
    """The evaluator for their own declaration, a captain for the team's."""
    if conflict is None or not user.is_authenticated:
        return False
    if conflict.source == Conflict.Source.EVALUATOR:
        return conflict.evaluator_id == user.pk
    if conflict.source == Conflict.Source.TEAM:
        return is_captain(user, conflict.idea)
    return False


@rules.predicate
def is_conflict_manager(user, conflict) -> bool:
    return conflict is not None and can_manage_idea_evaluation(user, conflict.idea)


@rules.predicate
def is_conflict_in_stage(user, conflict) -> bool:
    return conflict is not None and conflict.idea.stage in CONFLICT_STAGES


can_manage_evaluation = is_hr_admin | is_racecourse_admin
can_manage_idea_evaluation = is_hr_admin | is_idea_racecourse_admin
is_unconflicted_assignee = is_assigned_evaluator & ~is_conflicted_with


def _assigned_idea_ids(user) -> list[int]:
    if not is_evaluator(user):
        return []
    ideas = [
        a.idea
        for a in Assignment.objects.filter(evaluator=user).select_related(
            "idea__racecourse"
        )
    ]
    conflicted = conflicted_idea_ids(user=user, ideas=ideas)
    return [idea.pk for idea in ideas if idea.pk not in conflicted]


# An evaluator reads a project, whatever its level, while assigned to it and
# not conflicted with it (``ideas.visibility`` asks; it cannot import voting).
reader_register(
    "assigned_evaluator",
    predicate=lambda user, idea: (
        is_evaluator(user) and is_unconflicted_assignee(user, idea)
    ),
    idea_ids=_assigned_idea_ids,
)

rules.add_perm("voting.manage_evaluation", can_manage_evaluation)
rules.add_perm("voting.assign_evaluator", can_manage_idea_evaluation & is_in_evaluation)
rules.add_perm(
    "voting.state_preference",
    is_idea_pool_evaluator & is_in_evaluation & ~is_conflicted_with,
)
rules.add_perm(
    "voting.declare_own_conflict", is_idea_pool_evaluator & is_conflict_stage
)
rules.add_perm("voting.declare_team_conflict", is_captain & is_conflict_stage)
rules.add_perm("voting.record_conflict", can_manage_idea_evaluation & is_conflict_stage)
rules.add_perm(
    "voting.view_idea_conflicts", is_team_member | can_manage_idea_evaluation
)
rules.add_perm(
    "voting.withdraw_conflict",
    (is_conflict_owner | is_conflict_manager) & is_conflict_in_stage,
)
# --- evaluation: scorecards and panel ---
# Scoring, other evaluators' scores, the panel's discussion, the panel page and
# the chair's decision (object: an idea; ``voting.view_panel``: a racecourse).
# Anyone with a conflict of interest (on the team, the captain's manager,
# a declared conflict, ...) never scores, sees scores or reads the discussion,
# HR and racecourse admins included. Confidential projects stay with HR, as
# in realization. ``voting.evaluation.panel`` applies the same rules in batch.


@rules.predicate
def scoring_submitted(user, idea) -> bool:
    """The user's own scorecard for the project is submitted."""
    return idea is not None and has_submitted(user=user, idea=idea)


@rules.predicate
def panel_decided(user, idea) -> bool:
    return idea is not None and is_decided(idea)


@rules.predicate
def scoring_window_closed(user, idea) -> bool:
    return idea is not None and window_closed(idea)


panel_manager = is_hr_admin | (is_idea_racecourse_admin & can_read_content)
panel_member = (is_assigned_evaluator & scoring_submitted) | panel_manager
evaluated = is_in_evaluation | panel_decided

can_score = (
    is_assigned_evaluator
    & ~is_conflicted_with
    & is_in_evaluation
    & ~panel_decided
    & ~scoring_window_closed
)
can_see_scores = ~is_conflicted_with & evaluated & panel_member
can_comment_panel = (
    ~is_conflicted_with & is_in_evaluation & ~panel_decided & panel_member
)
can_decide = panel_manager & ~is_conflicted_with & is_in_evaluation & ~panel_decided

rules.add_perm("voting.score_idea", can_score)
rules.add_perm("voting.see_scores", can_see_scores)
rules.add_perm("voting.see_discussion", can_see_scores)
rules.add_perm("voting.comment_panel", can_comment_panel)
rules.add_perm("voting.decide", can_decide)
rules.add_perm("voting.view_panel", is_hr_admin | is_racecourse_admin)

# --- screening feedback: voters' reasons for the team, without voters ---
# The team reads them (``voting.screening.selectors.feedback``); HR and the
# idea's racecourse admins may too, to run the race. Everyone else: 404.
can_see_feedback = is_team_member | is_hr_admin | is_idea_racecourse_admin
rules.add_perm("voting.see_feedback", can_see_feedback)
