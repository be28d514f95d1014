"""The discussion's reads: a page's comments as the viewer may see them, the
moderation queue, follows, and the trending mark.

Every name shown goes through ``ideas.visibility``: a comment an anonymous
team's member wrote for the team carries no author to a viewer who may not
see the team (``author`` is None and ``shown_author`` is "the team").
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.accounts.rules import is_hr_admin
from horserace.common.permissions import can
from ideas.models import (
    Comment,
    CommentReport,
    Follow,
    Idea,
    IdeaView,
    TeamMembership,
)
from ideas.visibility import Viewer, content_q, visible_q

# --- trending -------------------------------------------------------------------
#: An idea is trending when, in the last ``TRENDING_WINDOW``, at least
#: ``TRENDING_MIN_VIEWS`` views (one per person a day, ``IdeaView``) and at
#: least ``TRENDING_MIN_COMMENTS`` comments (not hidden, not deleted) came in.
TRENDING_WINDOW = timedelta(hours=48)
TRENDING_MIN_VIEWS = 10
TRENDING_MIN_COMMENTS = 3


def trending_idea_ids(idea_ids, *, now=None) -> set[int]:
    """Which of ``idea_ids`` are trending: one query for a whole page."""
    ids = [pk for pk in idea_ids if pk is not None]
    if not ids:
        return set()
    since = (now or timezone.now()) - TRENDING_WINDOW
    views = (
        IdeaView.objects.filter(idea=OuterRef("pk"), day__gte=since.date())
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    comments = (
        Comment.objects.filter(
            idea=OuterRef("pk"),
            created_at__gte=since,
            hidden_at__isnull=True,
            deleted_at__isnull=True,
        )
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return set(
        Idea.objects.filter(pk__in=ids)
        .annotate(
            recent_views=Coalesce(Subquery(views, output_field=IntegerField()), 0),
            recent_comments=Coalesce(
                Subquery(comments, output_field=IntegerField()), 0
            ),
        )
        .filter(
            recent_views__gte=TRENDING_MIN_VIEWS,
            recent_comments__gte=TRENDING_MIN_COMMENTS,
        )
        .values_list("pk", flat=True)
    )


def idea_is_trending(idea: Idea) -> bool:
    return idea.pk in trending_idea_ids([idea.pk])


# --- comments as the viewer sees them ------------------------------------------


@dataclass
class ShownComment:
    """One comment as one viewer may see it."""

    comment: Comment
    author: object  # the User, or None when the viewer may not see who
    shown_author: str  # a name, or "the team"
    state: str  # "visible", "hidden" or "deleted"
    body: str | None  # None when the viewer may not read it
    hidden_reason: str  # to the author and the moderators only
    is_mine: bool
    can_report: bool
    can_delete: bool
    can_hide: bool
    open_reports: int  # moderators only (0 for others)
    replies: list

    @property
    def pk(self) -> int:
        return self.comment.pk

    @property
    def parent_id(self) -> int | None:
        return self.comment.parent_id

    @property
    def created_at(self):
        return self.comment.created_at


def _team_ids(idea: Idea) -> set[int]:
    """The team's people now (from the prefetched memberships when loaded)."""
    return {m.user_id for m in idea.memberships.all()}


def _show(
    comment: Comment,
    *,
    user,
    sees_names: bool,
    moderates: bool,
    reported: set,
    team_ids: set,
) -> ShownComment:
    mine = comment.author_id == user.pk
    # Written for the team, or by someone on it now: the team's words.
    for_team = comment.by_team or comment.author_id in team_ids
    masked = for_team and not sees_names and not mine
    if comment.deleted_at is not None:
        state = "deleted"
    elif comment.hidden_at is not None:
        state = "hidden"
    else:
        state = "visible"
    if state == "visible" or (state == "hidden" and (mine or moderates)):
        body = comment.body
    else:
        body = None
    live = state == "visible"
    return ShownComment(
        comment=comment,
        author=None if masked else comment.author,
        shown_author=_("the team") if masked else str(comment.author),
        state=state,
        body=body,
        hidden_reason=comment.hidden_reason if (mine or moderates) else "",
        is_mine=mine,
        can_report=live and not mine and comment.pk not in reported,
        can_delete=live and mine,
        can_hide=live and moderates,
        open_reports=getattr(comment, "open_reports", 0) if moderates else 0,
        replies=[],
    )


def comment_list(*, idea: Idea, user) -> list[ShownComment]:
    """The idea's comments, oldest first, each with its replies, as ``user``
    may see them (the caller checked ``ideas.read_content``)."""
    sees_names = Viewer(user).sees_names(idea)
    moderates = can(user, "ideas.moderate_idea", idea)
    rows = list(
        Comment.objects.filter(idea=idea)
        .select_related("author")
        .annotate(
            open_reports=Count(
                "reports",
                filter=Q(reports__resolution=CommentReport.Resolution.OPEN),
            )
        )
        .order_by("created_at", "pk")
    )
    reported = set(
        CommentReport.objects.filter(
            reporter_id=user.pk, comment__idea=idea
        ).values_list("comment_id", flat=True)
    )
    team_ids = _team_ids(idea)
    shown = {
        c.pk: _show(
            c,
            user=user,
            sees_names=sees_names,
            moderates=moderates,
            reported=reported,
            team_ids=team_ids,
        )
        for c in rows
    }
    top = []
    for c in rows:
        if c.parent_id is None:
            top.append(shown[c.pk])
        elif c.parent_id in shown:
            shown[c.parent_id].replies.append(shown[c.pk])
    return top


def comment_show(*, comment: Comment, user) -> ShownComment:
    """One comment as ``user`` may see it (for the API's answers)."""
    idea = comment.idea
    reported = set(
        CommentReport.objects.filter(reporter_id=user.pk, comment=comment).values_list(
            "comment_id", flat=True
        )
    )
    moderates = can(user, "ideas.moderate_idea", idea)
    if moderates:
        comment.open_reports = comment.reports.filter(  # type: ignore[attr-defined]
            resolution=CommentReport.Resolution.OPEN
        ).count()
    return _show(
        comment,
        user=user,
        sees_names=Viewer(user).sees_names(idea),
        moderates=moderates,
        reported=reported,
        team_ids=_team_ids(idea),
    )


def comment_get_readable(*, user, pk: int) -> Comment:
    """The comment, or 404 unless ``user`` may read its idea's content."""
    try:
        comment = Comment.objects.select_related(
            "idea__racecourse", "author", "parent"
        ).get(pk=pk)
    except (Comment.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not can(user, "ideas.read_content", comment.idea):
        raise Http404
    return comment


def comment_count(*, idea: Idea) -> int:
    return Comment.objects.filter(idea=idea, deleted_at__isnull=True).count()


# --- moderation -----------------------------------------------------------------


def may_moderate(user) -> bool:
    """HR, and the admins of some racecourse, have a moderation queue."""
    if not user.is_authenticated:
        return False
    return is_hr_admin(user) or user.administered_racecourses.exists()


def _moderated_ideas(user):
    """Ideas whose comments ``user`` moderates: those they may read (a
    confidential idea is opened first: its reports quote its comments)."""
    ideas = (
        Idea.objects.filter(visible_q(user))
        .filter(pk__in=Idea.objects.filter(content_q(user)).values("pk"))
        .values("pk")
    )
    if is_hr_admin(user):
        return ideas
    return ideas.filter(racecourse__admins=user)


def report_queue(*, user, include_closed: bool = False) -> list[Any]:
    """Comments with open reports on ideas ``user`` moderates, most reported
    first; each with ``reports_shown`` (its reports) and ``readable`` (may
    the moderator read it without opening the idea)."""
    if not may_moderate(user):
        return []
    reports_qs = CommentReport.objects.select_related("reporter").order_by(
        "-created_at"
    )
    if not include_closed:
        reports_qs = reports_qs.filter(resolution=CommentReport.Resolution.OPEN)
    comments: list[Any] = list(
        Comment.objects.filter(idea__in=_moderated_ideas(user))
        .filter(
            reports__resolution=CommentReport.Resolution.OPEN
            if not include_closed
            else Q()
        )
        .annotate(
            open_reports=Count(
                "reports",
                filter=Q(reports__resolution=CommentReport.Resolution.OPEN),
                distinct=True,
            )
        )
        .select_related("idea__racecourse", "author", "hidden_by")
        .prefetch_related(Prefetch("reports", queryset=reports_qs, to_attr="shown"))
        .distinct()
        .order_by("-open_reports", "-created_at")
    )
    viewer = Viewer(user)
    teams = _teams_of([c.idea_id for c in comments])
    for c in comments:
        c.readable = viewer.reads_content(c.idea)
        sees = viewer.sees_names(c.idea)
        team = teams.get(c.idea_id, set())
        c.names_shown = sees or not (c.by_team or c.author_id in team)
        for report in c.shown:
            report.reporter_shown = (
                report.reporter if sees or report.reporter_id not in team else None
            )
    return comments


def _teams_of(idea_ids) -> dict[int, set[int]]:
    teams: dict[int, set[int]] = {}
    rows = TeamMembership.objects.filter(idea_id__in=set(idea_ids)).values_list(
        "idea_id", "user_id"
    )
    for idea_id, user_id in rows:
        teams.setdefault(idea_id, set()).add(user_id)
    return teams


def open_report_count(*, user) -> int:
    if not may_moderate(user):
        return 0
    return (
        CommentReport.objects.filter(
            resolution=CommentReport.Resolution.OPEN,
            comment__idea__in=_moderated_ideas(user),
        )
        .values("comment")
        .distinct()
        .count()
    )


def report_list(*, user) -> list[Any]:
    """Reports (all resolutions) on ideas ``user`` moderates, newest first;
    ``reporter_shown`` is None for a reporter on an anonymous team the
    moderator may not see."""
    reports: list[Any] = list(
        CommentReport.objects.filter(comment__idea__in=_moderated_ideas(user))
        .select_related("comment__idea__racecourse", "reporter", "resolved_by")
        .order_by("-created_at", "-pk")
    )
    viewer = Viewer(user)
    teams = _teams_of([r.comment.idea_id for r in reports])
    for report in reports:
        idea = report.comment.idea
        on_team = report.reporter_id in teams.get(idea.pk, set())
        sees = not on_team or viewer.sees_names(idea)
        report.reporter_shown = report.reporter if sees else None
    return reports


# --- follows --------------------------------------------------------------------


def follows_idea(*, user, idea: Idea) -> bool:
    return (
        user.is_authenticated and Follow.objects.filter(user=user, idea=idea).exists()
    )


def follower_count(*, idea: Idea) -> int:
    return Follow.objects.filter(idea=idea).count()


def followed_challenge_ids(*, user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        Follow.objects.filter(user=user, challenge__isnull=False).values_list(
            "challenge_id", flat=True
        )
    )
