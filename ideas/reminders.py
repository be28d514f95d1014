"""Reminders of the ideas' side: windows closing soon (to teams) and requests
waiting for an approver for over a day.

Run by the periodic tasks of ``ideas.tasks`` (``horserace/schedules.py``).
Each reminder is keyed by what it is about and the day (``day_bucket``), so a
task that runs every hour, or twice at once, tells a person once a day at most
(``event_send`` writes one row per recipient and key). Every query is
set-based: a few per window or per kind of request, none per person. Texts
are counts, stage and racecourse names: no idea's content.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from contests.models import Racecourse, Season, StageWindow
from horserace.notifications.events import ToPeople
from horserace.notifications.services import event_send

from .events import TEAM_STAGE, ApprovalsWaiting, WindowClosingSoon
from .models import (
    ResourceRequest,
    Stage,
    TimeAllocation,
    TrainerAssignment,
    Tranche,
)

#: A window "closes soon" this long before its close.
CLOSING_SOON = dt.timedelta(hours=24)
#: A request "waits" once it is older than this.
WAITING = dt.timedelta(hours=24)


def day_bucket(when: dt.datetime) -> str:
    """The day a reminder is keyed by (UTC), so a person gets one a day."""
    return when.astimezone(dt.UTC).date().isoformat()


def windows_closing(
    *, stages, now: dt.datetime, within: dt.timedelta = CLOSING_SOON
) -> list[StageWindow]:
    """Open windows of ``stages`` whose close is within ``within`` of ``now``,
    in an open season (or on the farm, which lives across seasons)."""
    return list(
        StageWindow.objects.filter(
            Q(racecourse__season__status=Season.Status.OPEN)
            | Q(racecourse__kind=Racecourse.Kind.FARM),
            stage__in=stages,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + within,
            applied_at__isnull=True,
        ).select_related("racecourse__department")
    )


def send_counts(
    event: type[ToPeople],
    *,
    counts: Mapping[int, int],
    param: str,
    url: str,
    **params,
) -> int:
    """Send ``event`` to every active user in ``counts`` (user id -> n > 0),
    with their own n as ``param``: one ``event_send`` per distinct n (about
    the people with that n: the event is a ``ToPeople``), so a thousand
    voters cost a handful of writes. How many were newly told."""
    wanted = {pk: n for pk, n in counts.items() if n > 0}
    if not wanted:
        return 0
    users = get_user_model().objects.filter(pk__in=wanted, is_active=True)
    by_n: dict[int, list] = defaultdict(list)
    for user in users.only("pk", "email", "locale"):
        by_n[wanted[user.pk]].append(user)
    sent = 0
    for n, people in sorted(by_n.items()):
        sent += len(event_send(event, about=people, url=url, **params, **{param: n}))
    return sent


def windows_closing_remind(*, now: dt.datetime | None = None) -> int:
    """Tell the teams of the ideas a window closing within a day concerns.

    Registration: the drafts' teams (register before the close); screening:
    the teams in the round; gestation: the teams whose proposal is due.
    """
    now = now or timezone.now()
    day = day_bucket(now)
    sent = 0
    for window in windows_closing(stages=list(TEAM_STAGE), now=now):
        sent += len(
            event_send(
                WindowClosingSoon,
                about=window,
                url=window.racecourse.get_absolute_url(),
                window=window.pk,
                day=day,
                racecourse=window.racecourse.name,
                stage=window.stage,
            )
        )
    return sent


def _hr_ids() -> list[int]:
    return list(
        get_user_model()
        .objects.filter(Q(is_hr_admin=True) | Q(is_superuser=True), is_active=True)
        .values_list("pk", flat=True)
    )


def _per_approver(per_racecourse: Mapping[int, int], hr: list[int]) -> dict[int, int]:
    """Counts per racecourse -> counts per approver: the racecourse's active
    admins, or HR where it has none."""
    counts: dict[int, int] = defaultdict(int)
    if not per_racecourse:
        return counts
    admins: dict[int, list[int]] = defaultdict(list)
    for rc_id, user_id in Racecourse.admins.through.objects.filter(
        racecourse_id__in=per_racecourse, user__is_active=True
    ).values_list("racecourse_id", "user_id"):
        admins[rc_id].append(user_id)
    for rc_id, n in per_racecourse.items():
        for user_id in admins.get(rc_id) or hr:
            counts[user_id] += n
    return counts


def _by_racecourse(qs) -> dict[int, int]:
    return dict(
        qs.values("idea__racecourse_id")
        .annotate(n=Count("pk"))
        .values_list("idea__racecourse_id", "n")
    )


def approvals_remind(*, now: dt.datetime | None = None) -> int:
    """Tell the approvers of requests waiting for over a day how many wait."""
    now = now or timezone.now()
    cutoff = now - WAITING
    day = day_bucket(now)
    hr = _hr_ids()
    sent = 0
    requests = _by_racecourse(
        ResourceRequest.objects.filter(
            status=ResourceRequest.Status.PENDING,
            idea__stage=Stage.GESTATION,
            created_at__lte=cutoff,
        )
    )
    trainers = _by_racecourse(
        TrainerAssignment.objects.filter(
            status=TrainerAssignment.Status.REQUESTED,
            idea__stage=Stage.GESTATION,
            created_at__lte=cutoff,
        )
    )
    home = reverse("home")
    for what, per_racecourse in (
        ("resource_requests", requests),
        ("trainer_requests", trainers),
    ):
        sent += send_counts(
            ApprovalsWaiting,
            counts=_per_approver(per_racecourse, hr),
            param="n",
            url=home,
            what=what,
            day=day,
        )
    # Only HR releases tranches.
    reviews = Tranche.objects.filter(
        status=Tranche.Status.IN_REVIEW,
        plan__idea__stage=Stage.REALIZATION,
        review_submitted_at__lte=cutoff,
    ).count()
    if reviews:
        sent += send_counts(
            ApprovalsWaiting,
            counts=dict.fromkeys(hr, reviews),
            param="n",
            url=reverse("realization:desk"),
            what="tranche_reviews",
            day=day,
        )
    allocations = dict(
        TimeAllocation.objects.filter(
            approved_at__isnull=True,
            declined_at__isnull=True,
            outcome__idea__stage__in=[Stage.REALIZATION, Stage.REALIZED],
            created_at__lte=cutoff,
        )
        .values("manager_id")
        .annotate(n=Count("pk"))
        .values_list("manager_id", "n")
    )
    sent += send_counts(
        ApprovalsWaiting,
        counts=allocations,
        param="n",
        url=reverse("realization:approvals"),
        what="time_allocations",
        day=day,
    )
    return sent
