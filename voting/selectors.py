"""Reads for online screening: who may judge what, queues, progress, results.

Who may judge is decided in one place, ``judge_refusal``; services, rules,
pages and the API all ask it. Whether counts may be shown is decided in
``counts_visible``. Results are read from ``Tally`` snapshots only.
"""

import hashlib
from datetime import datetime
from typing import NamedTuple

from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import MD5, Cast, Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contests.models import Racecourse, StageWindow, WindowStage
from contests.selectors import window_get
from horserace.core.permissions import can
from ideas.models import Idea, Stage, TeamMembership
from ideas.rules import is_team_member
from ideas.selectors import _visible_q

from .models import Ballot, Impression, Tally

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


def _when(when: datetime | None) -> datetime:
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
    when = _when(when)
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
) -> Refusal | None:
    """``judge_refusal`` with its kind; ``visible``/``in_audience`` if known.

    Batch callers pass ``visible`` and ``in_audience`` worked out for many
    ideas at once. The idea's prefetched ``memberships`` are used when present.
    """
    if not user.is_authenticated or not user.is_active:
        return Refusal(_("Log in to judge ideas."), "not_logged_in", forbidden=True)
    if refusal := window_refusal(window=window, when=when):
        return refusal
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
    if is_team_member(user, idea):
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


# --- The judging queue -------------------------------------------------------------


def _shuffle_seed(*, voter_id: int, window_id: int) -> str:
    return f"horserace-queue:{voter_id}:{window_id}:"


def shuffle_position(*, voter_id: int, window_id: int, idea_id: int) -> str:
    """The idea's sort key in the voter's order (the value SQL computes)."""
    seed = _shuffle_seed(voter_id=voter_id, window_id=window_id)
    return hashlib.md5(f"{seed}{idea_id}".encode(), usedforsecurity=False).hexdigest()


def _judgeable(*, user, window: StageWindow) -> QuerySet[Idea]:
    """Ideas ``user`` may judge in ``window``, unordered and bare."""
    if (
        window.stage != WindowStage.SCREENING
        or not user.is_authenticated
        or not voter_in_audience(user=user, racecourse=window.racecourse)
    ):
        return Idea.objects.none()
    return (
        Idea.objects.filter(racecourse_id=window.racecourse_id, stage=Stage.SCREENING)
        .filter(pk__in=Idea.objects.filter(_visible_q(user)).values("pk"))
        .exclude(pk__in=TeamMembership.objects.filter(user=user).values("idea_id"))
    )


def _queue_annotations(*, user, window: StageWindow) -> dict:
    """``my_choice`` (the voter's ballot) and ``shuffle`` (the voter's order)."""
    seed = _shuffle_seed(voter_id=user.pk or 0, window_id=window.pk)
    my_ballots = Ballot.objects.filter(voter=user, window=window, idea=OuterRef("pk"))
    return {
        "my_choice": Subquery(my_ballots.values("choice")[:1]),
        "shuffle": MD5(Concat(Value(seed), Cast("pk", CharField()))),
    }


def judging_queue(*, user, window: StageWindow) -> QuerySet[Idea]:
    """Every idea ``user`` may judge in ``window``, in the voter's own order.

    The order is random but stable per voter and round: ideas are sorted by
    the MD5 of (voter, window, idea), computed in SQL, so every idea gets a
    fair share of first looks and a reload shows the same order.
    Each idea carries ``my_choice`` (the voter's ballot, or None) and its team
    prefetched; judged ideas are included, ``.filter(my_choice__isnull=True)``
    leaves the ones still to judge. Empty when the voter is outside the
    racecourse's audience.
    """
    return (
        _judgeable(user=user, window=window)
        .select_related("racecourse", "challenge", "author", "registration")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user"),
            )
        )
        .annotate(**_queue_annotations(user=user, window=window))
        .order_by("shuffle", "pk")
    )


def judging_order(*, user, window: StageWindow) -> list[tuple[int, str | None]]:
    """``judging_queue`` as ``(idea id, my_choice)`` pairs, in one query.

    The same ideas in the same order, without loading them: pages pick the
    ideas they show from it and read only those (``queue_ideas``), and count
    the voter's progress from it (``order_progress``).
    """
    return list(
        _judgeable(user=user, window=window)
        .annotate(**_queue_annotations(user=user, window=window))
        .order_by("shuffle", "pk")
        .values_list("pk", "my_choice")
    )


def order_progress(order: list[tuple[int, str | None]]) -> tuple[int, int]:
    """``judging_progress`` worked out from a ``judging_order`` already read."""
    return (sum(1 for _pk, choice in order if choice is not None), len(order))


def judging_progress(*, user, window: StageWindow) -> tuple[int, int]:
    """``(judged, total)``: how much of the voter's queue they have judged."""
    mine = Ballot.objects.filter(voter=user, window=window, idea=OuterRef("pk"))
    counts = _judgeable(user=user, window=window).aggregate(
        total=Count("pk"), judged=Count("pk", filter=Q(Exists(mine)))
    )
    return (counts["judged"] or 0, counts["total"] or 0)


def queue_ideas(*, window: StageWindow, pks, team: bool = False) -> dict[int, Idea]:
    """Ideas of the round by id, with what a card or a list row shows.

    For ids just read from ``judging_order``, which decided who may judge
    them; only the round and the stage are checked again. ``team`` prefetches
    the team with its people (the card lists them). ``my_choice`` is not set:
    the caller has it from the order.
    """
    ideas = (
        Idea.objects.filter(
            pk__in=pks, racecourse_id=window.racecourse_id, stage=Stage.SCREENING
        )
        .select_related(
            "racecourse__department", "challenge", "author", "registration__season"
        )
        .defer("registration__content")
    )
    if team:
        ideas = ideas.prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user"),
            )
        )
    return {idea.pk: idea for idea in ideas}


def ballots_of(*, voter, window: StageWindow, idea_ids) -> dict[int, Ballot]:
    """The voter's ballots in ``window`` on ``idea_ids``, by idea id."""
    return {
        ballot.idea_id: ballot
        for ballot in Ballot.objects.filter(
            voter=voter, window=window, idea_id__in=idea_ids
        )
    }


def tallies_of(*, window: StageWindow, idea_ids) -> dict[int, Tally]:
    """The round's latest tally snapshots of ``idea_ids``, by idea id."""
    return {
        tally.idea_id: tally
        for tally in Tally.objects.filter(window=window, idea_id__in=idea_ids)
    }


def judged_ids(*, user, window: StageWindow) -> set[int]:
    """Ids of the ideas the voter has a ballot on in ``window``."""
    return set(
        Ballot.objects.filter(voter=user, window=window).values_list(
            "idea_id", flat=True
        )
    )


# --- Counts and results ------------------------------------------------------------


def counts_visible(*, user, window: StageWindow, when: datetime | None = None) -> bool:
    """Whether ``user`` may see the round's counts and ranking at ``when``.

    HR and the racecourse's admins always (``voting.view_live_counts``);
    everyone else once the window has closed, or at any time when the window
    does not hide its counts.
    """
    if not user.is_authenticated:
        return False
    if can(user, "voting.view_live_counts", window):
        return True
    return not window.hide_counts or _when(when) >= window.closes_at


def screening_story(*, idea: Idea, user) -> list[dict]:
    """The idea's screening rounds as ``user`` may see them, for its page.

    One entry per round it was judged in (its department racecourse's and,
    once promoted, the parent's), oldest first, each with its tally
    snapshot when the counts are visible to ``user``.
    """
    tallies = (
        Tally.objects.filter(idea=idea)
        .select_related("window__racecourse")
        .order_by("window__closes_at")
    )
    field_sizes = dict(
        Tally.objects.filter(window__in=[t.window_id for t in tallies])
        .values("window")
        .annotate(n=Count("pk"))
        .values_list("window", "n")
    )
    return [
        {
            "window": tally.window,
            "racecourse": tally.window.racecourse,
            "closed": tally.window.closes_at <= timezone.now(),
            "tally": tally if counts_visible(user=user, window=tally.window) else None,
            "field": field_sizes.get(tally.window_id, 0),
        }
        for tally in tallies
    ]


def leaderboard(*, window: StageWindow) -> QuerySet[Tally]:
    """The round's tally snapshots, best rank first, with their ideas."""
    return (
        Tally.objects.filter(window=window)
        .select_related("idea__registration__season", "idea__racecourse")
        .order_by(F("rank").asc(nulls_last=True), "idea_id")
    )


def ballot_list(*, voter, window: StageWindow | None = None) -> QuerySet[Ballot]:
    """The voter's ballots, last changed first."""
    qs = Ballot.objects.filter(voter=voter)
    if window is not None:
        qs = qs.filter(window=window)
    return qs.select_related("idea", "window").order_by("-updated_at", "-pk")


def ballot_get(*, voter, idea: Idea) -> Ballot | None:
    """The voter's ballot on ``idea`` in its racecourse's round, if any."""
    window = screening_window(racecourse=idea.racecourse)
    if window is None:
        return None
    return (
        Ballot.objects.filter(voter=voter, idea=idea, window=window)
        .select_related("idea", "window")
        .first()
    )


def idea_for_judging(*, user, pk) -> Idea | None:
    """The idea with what judging needs, or None if unknown or not visible.

    One query, for the hot path of a ballot: the idea, its racecourse and
    department, its round (``round_of(idea)``) and the user's role on its team
    (which ``ideas.rules`` reads instead of asking again).
    """
    round_join = FilteredRelation(
        "racecourse__windows",
        condition=Q(racecourse__windows__stage=WindowStage.SCREENING),
    )
    role = TeamMembership.objects.filter(idea=OuterRef("pk"), user_id=user.pk)
    try:
        idea = (
            Idea.objects.annotate(
                _round=round_join, viewer_role=Subquery(role.values("role")[:1])
            )
            .select_related("racecourse__department", "_round")
            .get(pk=pk)
        )
    except (Idea.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    idea.viewer_membership = (user.pk, idea.viewer_role)
    return idea if can(user, "ideas.view_idea", idea) else None


def round_of(idea: Idea) -> StageWindow | None:
    """The idea's screening window, joined in by ``idea_for_judging`` if it was."""
    # select_related through a FilteredRelation sets a plain attribute.
    if "_round" in idea.__dict__:
        return idea.__dict__["_round"]
    return screening_window(racecourse=idea.racecourse)


def ideas_for_judging(*, user, pks: set[int]) -> dict[int, Idea]:
    """``idea_for_judging`` for many ids in two queries: id → visible idea."""
    visible = Idea.objects.filter(_visible_q(user)).values("pk")
    ideas = (
        Idea.objects.filter(pk__in=pks)
        .filter(pk__in=visible)
        .select_related("racecourse__department")
        .prefetch_related("memberships")
    )
    return {idea.pk: idea for idea in ideas}


def windows_to_tally(*, when: datetime | None = None) -> QuerySet[StageWindow]:
    """Screening windows whose snapshots need computing at ``when``.

    Every window open now; and every closed window with a snapshot older than
    its close, or with none at all while it has ballots, impressions or ideas
    still in screening (the final tally after the close). Once a closed
    window's snapshots postdate its close it drops out, so the query stays
    small and a second run finds nothing to do.
    """
    when = _when(when)
    window = OuterRef("pk")
    stale = Tally.objects.filter(window=window, computed_at__lt=OuterRef("closes_at"))
    needs_first = (
        Exists(Ballot.objects.filter(window=window))
        | Exists(Impression.objects.filter(window=window))
        | Exists(
            Idea.objects.filter(
                racecourse_id=OuterRef("racecourse_id"), stage=Stage.SCREENING
            )
        )
    ) & ~Exists(Tally.objects.filter(window=window))
    return (
        StageWindow.objects.filter(stage=WindowStage.SCREENING, opens_at__lte=when)
        .filter(Q(closes_at__gt=when) | Exists(stale) | needs_first)
        .select_related("racecourse")
        .order_by("closes_at", "pk")
    )


def visible_idea_ids(*, user, ids: set[int]) -> set[int]:
    """Which of ``ids`` the user may see, in one query."""
    if not ids:
        return set()
    return set(
        Idea.objects.filter(pk__in=ids)
        .filter(pk__in=Idea.objects.filter(_visible_q(user)).values("pk"))
        .values_list("pk", flat=True)
    )
