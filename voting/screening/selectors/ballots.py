"""The voter's ballots, and the ideas a ballot is cast on (the hot path)."""

from django.db.models import FilteredRelation, OuterRef, Q, QuerySet, Subquery

from contests.models import StageWindow, WindowStage
from horserace.common.permissions import can
from ideas.models import Idea, TeamMembership
from ideas.visibility import content_q, visible_q
from voting.models import Ballot
from voting.screening.selectors.rounds import screening_window


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
            # The plugin rejects a FilteredRelation alias, which Django accepts.
            .select_related("racecourse__department", "_round")  # type: ignore[misc]
            .get(pk=pk)
        )
    except (Idea.DoesNotExist, ValueError, TypeError, OverflowError):
        return None
    idea.viewer_membership = (user.pk, idea.viewer_role)
    return idea if can(user, "ideas.read_content", idea) else None


def round_of(idea: Idea) -> StageWindow | None:
    """The idea's screening window, joined in by ``idea_for_judging`` if it was."""
    # select_related through a FilteredRelation sets a plain attribute.
    if "_round" in idea.__dict__:
        return idea.__dict__["_round"]
    return screening_window(racecourse=idea.racecourse)


def ideas_for_judging(*, user, pks: set[int]) -> dict[int, Idea]:
    """``idea_for_judging`` for many ids in two queries: id → visible idea."""
    visible = Idea.objects.filter(visible_q(user)).values("pk")
    ideas = (
        Idea.objects.filter(pk__in=pks)
        .filter(pk__in=visible)
        .select_related("racecourse__department")
        .prefetch_related("memberships")
    )
    return {idea.pk: idea for idea in ideas}


def visible_idea_ids(*, user, ids: set[int], content: bool = False) -> set[int]:
    """Which of ``ids`` the user may see (with ``content``: may also read), in
    one query."""
    if not ids:
        return set()
    qs = Idea.objects.filter(pk__in=ids).filter(
        pk__in=Idea.objects.filter(visible_q(user)).values("pk")
    )
    if content:
        qs = qs.filter(pk__in=Idea.objects.filter(content_q(user)).values("pk"))
    return set(qs.values_list("pk", flat=True))
