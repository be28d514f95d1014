"""Who may do what in online screening.

``voting.judge`` (object: an idea) wraps ``selectors.judge_refusal`` for the
idea's round now; ``voting.view_live_counts`` (object: a screening window) is
HR and the window's racecourse admins, who see counts while voters may not.
"""

import rules

from contests.rules import is_racecourse_admin
from horserace.accounts.rules import is_hr_admin

from .selectors import judge_refusal, screening_window


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

# --- evaluation: conflicts and assignments (helper) ---
# --- end evaluation: conflicts and assignments ---

# --- evaluation: scorecards and panel (helper) ---
# --- end evaluation: scorecards and panel ---
