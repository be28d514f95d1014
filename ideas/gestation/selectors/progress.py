"""Milestones and progress updates, and the progress of a list of projects."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from contests.models import Racecourse
from ideas.models import Idea, Milestone, ProgressUpdate, Stage


def milestone_list(*, idea: Idea) -> QuerySet[Milestone]:
    return Milestone.objects.filter(idea=idea).order_by("position", "due_on", "pk")


def progress_update_list(*, idea: Idea) -> QuerySet[ProgressUpdate]:
    return ProgressUpdate.objects.filter(idea=idea).select_related(
        "author", "milestone"
    )


def with_progress(qs: QuerySet[Idea]) -> QuerySet[Idea]:
    """Annotate ideas with ``milestones_total``, ``milestones_done`` and
    ``last_update_at``, as subqueries (no grouping of the whole list)."""

    def count(**match):
        rows = (
            Milestone.objects.filter(idea=OuterRef("pk"), **match)
            .order_by()
            .values("idea")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(rows), 0)

    last = (
        ProgressUpdate.objects.filter(idea=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return qs.annotate(
        milestones_total=count(),
        milestones_done=count(done_at__isnull=False),
        last_update_at=Subquery(last),
    )


def gestation_progress_list(*, user, racecourse: Racecourse) -> list[Idea]:
    """The racecourse's projects in gestation the user may see, with progress.

    For the racecourse page: one query, whatever the number of projects.
    """
    from ideas.selectors import idea_list_visible

    qs = idea_list_visible(user=user, racecourse=racecourse, stage=Stage.GESTATION)
    return list(with_progress(qs).order_by("title", "pk"))
