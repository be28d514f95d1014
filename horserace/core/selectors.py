"""Reads for the home page: what is waiting for the signed-in person.

Each role has its own small queue elsewhere (a racecourse's gestation desk,
an evaluator's assignments, a manager's approvals, HR's tranche reviews);
the home page gathers how many items wait in each, with a link, so nobody
has to know where to look. Queries run only for the roles the person holds.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import ngettext_lazy

from contests.models import Racecourse
from contests.selectors import racecourses_managed
from horserace.accounts.rules import is_hr_admin
from ideas.discussion.selectors import open_report_count
from ideas.models import ResourceRequest, Stage, TeamMembership, TrainerAssignment
from ideas.realization.selectors import allocations_waiting, tranche_reviews_waiting
from voting.models import Assignment, PanelDecision, Scorecard

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Waiting:
    """``count`` things of one kind wait for the user at ``url``."""

    label: "StrOrPromise"
    count: int
    url: str
    where: str = ""


def managed_racecourses(user) -> list[Racecourse]:
    """The open season's racecourses the user runs (all of them for HR)."""
    managed = racecourses_managed(user=user)
    if not managed.everything and not managed.ids:
        return []
    # The farm lives on across seasons: it stays managed whatever its season.
    qs = Racecourse.objects.filter(Q(season__status="open") | Q(kind="farm"))
    if not managed.everything:
        qs = qs.filter(pk__in=managed.ids)
    return list(qs.order_by("name"))


def captain_waiting(*, user) -> list[Waiting]:
    """The captain: questions from the granting side, by idea."""
    waiting: list[Waiting] = []
    questions = list(
        ResourceRequest.objects.filter(
            status=ResourceRequest.Status.QUESTION,
            idea__stage=Stage.GESTATION,
            idea__memberships__user=user,
            idea__memberships__role=TeamMembership.Role.CAPTAIN,
        )
        .values("idea_id", "idea__title")
        .annotate(n=Count("pk"))
    )
    for row in questions:
        waiting.append(
            Waiting(
                ngettext_lazy(
                    "question about a resource request",
                    "questions about resource requests",
                    row["n"],
                ),
                row["n"],
                reverse("gestation:workspace", args=[row["idea_id"]]),
                row["idea__title"],
            )
        )
    return waiting


def manager_waiting(*, user) -> list[Waiting]:
    """A member's manager: time allocations to approve."""
    approvals = allocations_waiting(user=user).count()
    if not approvals:
        return []
    return [
        Waiting(
            ngettext_lazy(
                "time allocation to approve",
                "time allocations to approve",
                approvals,
            ),
            approvals,
            reverse("realization:approvals"),
        )
    ]


def hr_waiting(*, user) -> list[Waiting]:
    """HR: milestone reviews (only HR releases tranches)."""
    if not is_hr_admin(user):
        return []
    reviews = tranche_reviews_waiting(user=user).count()
    if not reviews:
        return []
    return [
        Waiting(
            ngettext_lazy(
                "milestone review to decide",
                "milestone reviews to decide",
                reviews,
            ),
            reviews,
            reverse("realization:desk"),
        )
    ]


def moderation_waiting(*, user) -> list[Waiting]:
    """HR and racecourse admins: reported comments on ideas they moderate."""
    reported = open_report_count(user=user)
    if not reported:
        return []
    return [
        Waiting(
            ngettext_lazy(
                "reported comment to review",
                "reported comments to review",
                reported,
            ),
            reported,
            reverse("discussion:reports"),
        )
    ]


def racecourse_waiting(racecourses: list[Racecourse]) -> list[Waiting]:
    """The queues of ``racecourses`` (their managers'), by racecourse: three
    grouped queries whatever their number."""
    waiting: list[Waiting] = []
    if not racecourses:
        return waiting
    ids = [r.pk for r in racecourses]
    requests = dict(
        ResourceRequest.objects.filter(
            status=ResourceRequest.Status.PENDING,
            idea__racecourse_id__in=ids,
            idea__stage=Stage.GESTATION,
        )
        .values("idea__racecourse_id")
        .annotate(n=Count("pk"))
        .values_list("idea__racecourse_id", "n")
    )
    trainers = dict(
        TrainerAssignment.objects.filter(
            status=TrainerAssignment.Status.REQUESTED,
            idea__racecourse_id__in=ids,
            idea__stage=Stage.GESTATION,
        )
        .values("idea__racecourse_id")
        .annotate(n=Count("pk"))
        .values_list("idea__racecourse_id", "n")
    )
    undecided = dict(
        Racecourse.objects.filter(pk__in=ids)
        .annotate(
            n=Count(
                "ideas",
                filter=Q(ideas__stage=Stage.EVALUATION)
                & ~Q(ideas__pk__in=PanelDecision.objects.values("idea_id")),
            )
        )
        .values_list("pk", "n")
    )
    for racecourse in racecourses:
        desk = reverse("gestation:desk", args=[racecourse.pk])
        if n := requests.get(racecourse.pk):
            waiting.append(
                Waiting(
                    ngettext_lazy(
                        "resource request to decide",
                        "resource requests to decide",
                        n,
                    ),
                    n,
                    desk,
                    racecourse.name,
                )
            )
        if n := trainers.get(racecourse.pk):
            waiting.append(
                Waiting(
                    ngettext_lazy(
                        "team asking for a trainer", "teams asking for a trainer", n
                    ),
                    n,
                    desk,
                    racecourse.name,
                )
            )
        if n := undecided.get(racecourse.pk):
            waiting.append(
                Waiting(
                    ngettext_lazy(
                        "project awaiting the panel's decision",
                        "projects awaiting the panel's decision",
                        n,
                    ),
                    n,
                    reverse("evaluation:panel", args=[racecourse.pk]),
                    racecourse.name,
                )
            )
    return waiting


def work_waiting(*, user) -> list[Waiting]:
    """What waits for ``user``'s answer or decision, by kind, most urgent first."""
    if not user.is_authenticated:
        return []
    waiting = captain_waiting(user=user)
    if user.is_evaluator:
        to_score = (
            Assignment.objects.filter(evaluator=user, idea__stage=Stage.EVALUATION)
            .exclude(scorecard__status=Scorecard.Status.SUBMITTED)
            .count()
        )
        if to_score:
            waiting.append(
                Waiting(
                    ngettext_lazy("project to score", "projects to score", to_score),
                    to_score,
                    reverse("evaluation:mine"),
                )
            )
    if user.is_mentor:
        teams = TrainerAssignment.objects.filter(
            trainer__user=user,
            status=TrainerAssignment.Status.ACTIVE,
            idea__stage=Stage.GESTATION,
        ).count()
        if teams:
            waiting.append(
                Waiting(
                    ngettext_lazy("team to coach", "teams to coach", teams),
                    teams,
                    reverse("gestation:trainer"),
                )
            )
    waiting += manager_waiting(user=user)
    waiting += hr_waiting(user=user)
    waiting += racecourse_waiting(managed_racecourses(user))
    waiting += moderation_waiting(user=user)
    return waiting
