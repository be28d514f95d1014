"""Closing stage windows: what happens to a racecourse's ideas when a window ends.

A periodic task (``contests.tasks.close_due_windows``) finds the windows that
have closed and not been applied (``windows_due``) and applies each one with
``window_apply``. Every stage change goes through ``ideas.funnel``.

Registration window
    Every registered idea of the racecourse moves on to online screening.

Screening window
    The tallies are recomputed first, so the decision reads a final
    snapshot. The ideas in screening are then ordered by rank (Wilson lower
    bound, then more voters, then earlier registration; ideas with no tally
    come last, earliest registration first) and the window's rule decides:

    ``top_k``       the first K pass. Ranks are a strict order, so a tie in
                    the numbers at place K goes to the earlier registration.
    ``threshold``   pass when the support rate is at least ``threshold_rate``
                    and at least ``threshold_min_voters`` voted (no minimum
                    when empty).
    ``voted_down``  out when opposes outnumber supports; a draw passes, as
                    does an idea nobody voted on (the seed's public vote).
    ``manual``      a ``ClosingProposal`` is written with what the tallies
                    suggest (top K when K is set, else the threshold when a
                    rate is set, else every idea not voted down) and the
                    window stays unapplied until an HR or racecourse admin
                    confirms a list with ``window_confirm``.

    Passing ideas go on to gestation, the rest are eliminated; each stage
    change quotes the idea's numbers as its reason.

Department racecourse with a parent and a promotion quota
    The quota replaces the window's own rule: the top ``promotion_quota``
    ideas are promoted to the parent racecourse (``idea_promote``) and the
    rest are eliminated. Promoted ideas join the parent's next stage: they
    stay in screening to be judged again while the parent's screening window
    has not closed, and go on to gestation when it has closed (or the parent
    has no screening window). A department racecourse with no parent, or a
    quota of 0, uses its rule like any other racecourse.

Gestation window
    A project that submitted its final proposal has already moved on to
    evaluation. Every idea of the racecourse still in gestation has none: one
    with an extension running at the close (``ProposalExtension``) is left
    alone; the others are eliminated when the window's ``missing_proposal``
    is "eliminate", and left in gestation for HR when it is "hold" (HR is
    told, then extends with ``proposal_extension_grant`` or ends the project
    with ``gestation_eliminate``, both in ``ideas.services.gestation``).

Extensions that ran out
    ``extensions_expire`` (run by the same periodic task after the windows)
    eliminates every idea still in gestation whose latest extension ended
    without a proposal, once its racecourse's gestation window has closed.

Evaluation windows are not applied here (yet): ``windows_due`` leaves them
out and ``window_apply`` refuses them.

Idempotent and safe to run twice at once: ``window_apply`` locks the window
row for its whole transaction and returns at once when ``applied_at`` is set;
``extensions_expire`` locks each idea and checks it again; the funnel does
nothing for an idea already in the target stage.

Where things are: ``windows`` holds the entry points (``window_apply``,
``window_confirm``); ``screening`` the registration and screening closes
(deciding, promoting, proposing); ``gestation`` the gestation close and
``extensions_expire``; ``common`` the constants, ``windows_due``,
``promotes``, the result shape, locks and checks they share.
"""

from .common import (
    ALREADY_APPLIED,
    APPLIED,
    APPLIED_STAGES,
    PROPOSED,
    promotes,
    windows_due,
)
from .gestation import extensions_expire
from .windows import window_apply, window_confirm

__all__ = [
    "ALREADY_APPLIED",
    "APPLIED",
    "APPLIED_STAGES",
    "PROPOSED",
    "extensions_expire",
    "promotes",
    "window_apply",
    "window_confirm",
    "windows_due",
]
