"""Reads of the set-up: people to choose from, role holders, the audit, budgets."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from horserace.accounts.models import User
from horserace.common.permissions import can

from ..models import Racecourse, Resource, ResourceBudget, Season, Trainer
from ..roles import Role, RoleChange
from .services import granted_total

SEARCH_MIN = 2
SEARCH_LIMIT = 10


def people_search(*, term: str, limit: int = SEARCH_LIMIT) -> QuerySet[User]:
    """Active people whose name or e-mail contains ``term``, or whose employee
    number starts with it (at least two characters)."""
    term = term.strip()[:100]
    if len(term) < SEARCH_MIN:
        return User.objects.none()
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(display_name__icontains=term)
            | Q(email__icontains=term)
            | Q(employee_number__istartswith=term)
        )
        .select_related("department")
        .order_by("display_name", "pk")[:limit]
    )


def person_find(value: str) -> User | None:
    """The active person with this e-mail address or employee number."""
    value = (value or "").strip()
    if not value:
        return None
    match = Q(email__iexact=value) if "@" in value else Q(employee_number=value)
    return User.objects.filter(match, is_active=True).first()


_FLAG_OF = {
    Role.EVALUATOR: "is_evaluator",
    Role.MENTOR: "is_mentor",
    Role.HR_ADMIN: "is_hr_admin",
}


def role_holders(*, role: str, racecourse: Racecourse | None = None) -> QuerySet[User]:
    """Who holds ``role`` (on ``racecourse`` for the racecourse roles)."""
    qs = User.objects.select_related("department").order_by("display_name", "pk")
    if role == Role.RACECOURSE_ADMIN:
        return qs.filter(administered_racecourses=racecourse)
    if role == Role.RACECOURSE_EVALUATOR:
        return qs.filter(evaluator_pools=racecourse)
    return qs.filter(**{_FLAG_OF[Role(role)]: True})


def role_change_list(
    *, racecourse: Racecourse | None = None, limit: int = 50
) -> QuerySet[RoleChange]:
    qs = RoleChange.objects.select_related("person", "actor", "racecourse")
    if racecourse is not None:
        qs = qs.filter(racecourse=racecourse)
    return qs[:limit]


def racecourses_for(*, user) -> QuerySet[Racecourse]:
    """The racecourses this person may set up: all for HR, else their own."""
    qs = Racecourse.objects.select_related("season").order_by(
        "-season__year", "season", "kind", "name"
    )
    if can(user, "contests.manage_season"):
        return qs
    return qs.filter(admins=user)


def resource_list(*, season: Season) -> QuerySet[Resource]:
    return Resource.objects.filter(season=season).order_by("kind", "name")


@dataclass
class BudgetLine:
    resource: Resource
    budget: ResourceBudget | None
    granted: Decimal

    @property
    def amount(self) -> Decimal | None:
        return self.budget.amount if self.budget else None


def budget_lines(*, racecourse: Racecourse) -> list[BudgetLine]:
    """Each resource of the racecourse's season, its budget (if any) and what
    is granted so far."""
    budgets = {
        b.resource_id: b for b in ResourceBudget.objects.filter(racecourse=racecourse)
    }
    return [
        BudgetLine(
            resource=resource,
            budget=budgets.get(resource.pk),
            granted=granted_total(resource=resource, racecourse=racecourse),
        )
        for resource in resource_list(season=racecourse.season)
    ]


def trainer_list(*, season: Season) -> QuerySet[Trainer]:
    return (
        Trainer.objects.filter(season=season)
        .select_related("user__department")
        .order_by("-is_active", "user__display_name", "pk")
    )
