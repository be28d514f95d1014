"""Budgets with what is granted, pending and left; resource requests."""

from decimal import Decimal

from django.db.models import (
    DecimalField,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from contests.models import Racecourse, ResourceBudget
from horserace.common.permissions import can
from ideas.models import Idea, ResourceRequest, ResourceRequestMessage, Stage

OPEN = (ResourceRequest.Status.PENDING, ResourceRequest.Status.QUESTION)
_MONEY = DecimalField(max_digits=14, decimal_places=2)
_ZERO = Value(Decimal("0"), output_field=_MONEY)


def _request_sum(field: str, statuses, **match) -> Coalesce:
    """Sum of ``field`` over requests of the budget's resource on its racecourse."""
    rows = (
        ResourceRequest.objects.filter(
            resource=OuterRef("resource"),
            idea__racecourse=OuterRef("racecourse"),
            status__in=statuses,
            **match,
        )
        .order_by()
        .values("resource")
        .annotate(total=Coalesce(Sum(field, output_field=_MONEY), _ZERO))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=_MONEY), _ZERO)


def budget_list(
    *, racecourse: Racecourse | None = None, idea: Idea | None = None
) -> QuerySet[ResourceBudget]:
    """Budgets with ``granted``, ``pending`` (asked, undecided) and ``left``.

    With ``idea``: the budgets of its racecourse, plus ``team_granted`` and
    ``team_pending``, what that team has been granted and still waits for.
    One query.
    """
    if racecourse is None:
        if idea is None:
            raise TypeError("budget_list() needs a racecourse or an idea")
        racecourse = idea.racecourse
    granted = [ResourceRequest.Status.GRANTED]
    qs = (
        ResourceBudget.objects.filter(racecourse=racecourse)
        .select_related("resource")
        .annotate(
            granted=_request_sum("granted_amount", granted),
            pending=_request_sum("amount", OPEN),
        )
        .annotate(left=F("amount") - F("granted"))
    )
    if idea is not None:
        qs = qs.annotate(
            team_granted=_request_sum("granted_amount", granted, idea=idea.pk),
            team_pending=_request_sum("amount", OPEN, idea=idea.pk),
        )
    return qs.order_by("resource__kind", "resource__name")


def resource_request_list(
    *,
    idea: Idea | None = None,
    racecourse: Racecourse | None = None,
    statuses=None,
) -> QuerySet[ResourceRequest]:
    """Requests with their resource, people and conversation, oldest open first."""
    qs = ResourceRequest.objects.select_related(
        "idea__racecourse", "resource", "requested_by", "decided_by"
    ).prefetch_related(
        Prefetch(
            "messages",
            queryset=ResourceRequestMessage.objects.select_related("author"),
        )
    )
    if idea is not None:
        qs = qs.filter(idea=idea)
    if racecourse is not None:
        qs = qs.filter(idea__racecourse=racecourse)
    if statuses:
        qs = qs.filter(status__in=statuses)
    return qs


def grant_queue(*, racecourse: Racecourse) -> QuerySet[ResourceRequest]:
    """Open requests of the racecourse's teams in gestation, oldest first."""
    return (
        resource_request_list(racecourse=racecourse, statuses=OPEN)
        .filter(idea__stage=Stage.GESTATION)
        .order_by("created_at", "pk")
    )


def resource_requests_visible(*, user) -> QuerySet[ResourceRequest]:
    """Requests the user may read: own teams', managed racecourses', all for HR."""
    qs = resource_request_list()
    if not user.is_authenticated:
        return qs.none()
    if can(user, "contests.manage_season"):
        return qs
    from ideas.selectors import idea_list_manageable

    return qs.filter(
        Q(idea__memberships__user=user)
        | Q(
            idea__racecourse__admins=user,
            idea__in=idea_list_manageable(user=user).values("pk"),
        )
    ).distinct()
