"""The round of a racecourse, who votes on it, and who may judge an idea now."""

from datetime import datetime
from typing import NamedTuple

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contests.models import Racecourse, StageWindow, WindowStage
from contests.selectors import window_get
from horserace.common.permissions import can
from ideas.models import Idea, Stage
from ideas.visibility import is_team_member

# --- Rounds and audiences -------------------------------------------------------


def screening_window(*, racecourse: Racecourse) -> StageWindow | None:
    """The racecourse's screening window (its round), or None.

    Uses the racecourse's prefetched ``windows`` when the caller loaded them.
    """
    return window_get(racecourse=racecourse, stage=WindowStage.SCREENING)


def audience_of(racecourse: Racecourse) -> str:
    """``"company"`` or ``"department"``: who may vote on the racecourse.

    An empty ``audience`` means the whole company on the main racecourse and
    the farm, and the department on a department racecourse. A department
    audience on a racecourse that names no department is the whole company.
    """
    audience = racecourse.audience or (
        "department" if racecourse.kind == Racecourse.Kind.DEPARTMENT else "company"
    )
    if racecourse.department_id is None:
        return "company"
    return audience


def voter_in_audience(*, user, racecourse: Racecourse) -> bool:
    """Whether ``user`` belongs to the people who vote on ``racecourse``.

    A department audience takes in the department and every department below
    it (a team in a sub-department votes in its division's race).
    """
    if not user.is_authenticated:
        return False
    if audience_of(racecourse) == "company":
        return True
    if user.department_id is None:
        return False
    if user.department_id == racecourse.department_id:
        return True
    return racecourse.department_id in {d.pk for d in user.department.ancestors()}


# --- May this person judge this idea? -------------------------------------------


class Refusal(NamedTuple):
    """Why a judgment is refused: a translated message and how it is refused.

    ``forbidden`` refusals are about the person (403); the others are about the
    idea or the round (400).
    """

    message: str
    code: str
    forbidden: bool = False


def when_or_now(when: datetime | None) -> datetime:
    return when or timezone.now()


def window_refusal(
    *, window: StageWindow | None, when: datetime | None = None
) -> Refusal | None:
    """Why nobody may judge in ``window`` at ``when`` (not screening, not open)."""
    if window is None:
        return Refusal(
            _("There is no online screening on this racecourse."), "no_round"
        )
    if window.stage != WindowStage.SCREENING:
        return Refusal(_("This window is not an online screening."), "no_round")
    when = when_or_now(when)
    if when < window.opens_at:
        return Refusal(
            _("Online screening opens on %(date)s.")
            % {
                "date": date_format(
                    timezone.localtime(window.opens_at), "DATETIME_FORMAT"
                )
            },
            "not_open",
        )
    if when >= window.closes_at:
        return Refusal(
            _("Online screening closed on %(date)s; ballots can no longer change.")
            % {
                "date": date_format(
                    timezone.localtime(window.closes_at), "DATETIME_FORMAT"
                )
            },
            "closed",
        )
    return None


def judge_refusal_detail(
    *,
    user,
    idea: Idea,
    window: StageWindow | None,
    when: datetime | None = None,
    visible: bool | None = None,
    in_audience: bool | None = None,
    on_team: bool | None = None,
) -> Refusal | None:
    """``judge_refusal`` with its kind; ``visible``/``in_audience``/``on_team``
    if known.

    Callers pass what they read already: the ballot's one query reads the
    voter's team role, a batch works out visibility and audience for many
    ideas at once. The idea's prefetched ``memberships`` are used when present.
    """
    if not user.is_authenticated or not user.is_active:
        return Refusal(_("Log in to judge ideas."), "not_logged_in", forbidden=True)
    if refusal := window_refusal(window=window, when=when):
        return refusal
    assert window is not None  # window_refusal refuses a missing window
    if window.racecourse_id != idea.racecourse_id:
        return Refusal(
            _("This idea is not judged in this round; it runs on another racecourse."),
            "wrong_round",
        )
    if idea.stage != Stage.SCREENING:
        return Refusal(
            _("Only ideas in online screening can be judged; this one is “%(stage)s”.")
            % {"stage": Stage(idea.stage).label},
            "not_screening",
        )
    if visible is None:
        visible = can(user, "ideas.view_idea", idea)
    if not visible:
        return Refusal(_("You may not see this idea."), "not_visible", forbidden=True)
    if on_team is None:
        on_team = is_team_member(user, idea)
    if on_team:
        return Refusal(
            _("You cannot judge an idea of your own team."), "own_team", forbidden=True
        )
    if in_audience is None:
        in_audience = voter_in_audience(user=user, racecourse=idea.racecourse)
    if not in_audience:
        return Refusal(
            _("Only people in %(department)s judge ideas on %(racecourse)s.")
            % {
                "department": idea.racecourse.department,
                "racecourse": idea.racecourse,
            },
            "audience",
            forbidden=True,
        )
    return None


def judge_refusal(
    *, user, idea: Idea, window: StageWindow | None, when: datetime | None = None
) -> str | None:
    """Why ``user`` may not judge ``idea`` in ``window`` now, or None if they may.

    Refused: outside the open screening window, an idea of another racecourse
    or not in screening, an idea the user may not see, an idea of the user's
    own team (any member, not only the captain), a voter outside the
    racecourse's audience.
    """
    refusal = judge_refusal_detail(user=user, idea=idea, window=window, when=when)
    return None if refusal is None else refusal.message
