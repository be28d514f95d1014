"""Realization: what becomes of a selected project, and the money behind it.

Outcomes are what the horse race names: adopted by a department, time
allocated to the team, a new venture, a product launch. Investment comes in
tranches, each released only when HR approves its milestone review; the idea
is realized when the plan completes.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from horserace.common.models import TimeStampedModel
from horserace.common.validators import no_bidi_controls

from .base import Idea


class Outcome(TimeStampedModel):
    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("Adopted by a department")
        TIME = "time", _("Time allocated to the team")
        VENTURE = "venture", _("New venture")
        LAUNCH = "launch", _("Product launch")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("outcome"), max_length=10, choices=Kind.choices)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("adopting department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted_outcomes",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_outcomes",
        help_text=_("Who answers for it in the adopting department or venture."),
    )
    venture_name = models.CharField(
        _("venture name"), max_length=200, blank=True, validators=[no_bidi_controls]
    )
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["idea", "created_at"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="adopted") | Q(department__isnull=False),
                name="adoption_names_department",
            )
        ]

    def __str__(self):
        return f"{self.idea_id}: {self.get_kind_display()}"


class TimeAllocation(TimeStampedModel):
    """A team member's share of working time for the project (100 = full time).

    It counts once the member's manager has approved it.
    """

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="allocations"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="allocations"
    )
    share = models.PositiveSmallIntegerField(_("share of working time (%)"))
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approving manager"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    manager_note = models.TextField(_("manager's note"), blank=True)

    class Meta:
        ordering = ["outcome", "member"]
        verbose_name = _("time allocation")
        verbose_name_plural = _("time allocations")
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "member"], name="one_allocation_per_member"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=1) & Q(share__lte=100), name="share_percent"
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.share}%"


ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Ledger:
    """A plan's money: planned (cancelled tranches left out), released, waiting
    for HR, and what remains to release."""

    currency: str
    planned: Decimal
    released: Decimal
    in_review: Decimal
    remaining: Decimal
    released_count: int
    tranche_count: int


class InvestmentPlan(TimeStampedModel):
    """Staged funding for a project in realization."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="investment_plan"
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_reason = models.TextField(_("why it was closed"), blank=True)

    class Meta:
        verbose_name = _("investment plan")
        verbose_name_plural = _("investment plans")

    def __str__(self):
        return f"{self.idea_id}: {self.get_status_display()}"

    @cached_property
    def ledger(self) -> Ledger:
        """The money, summed from the plan's tranches (prefetch them for lists)."""
        live = [t for t in self.tranches.all() if t.status != Tranche.Status.CANCELLED]
        planned = sum((t.amount for t in live), ZERO)
        released = sum(
            (t.amount for t in live if t.status == Tranche.Status.RELEASED), ZERO
        )
        in_review = sum(
            (t.amount for t in live if t.status == Tranche.Status.IN_REVIEW), ZERO
        )
        return Ledger(
            currency=self.currency,
            planned=planned,
            released=released,
            in_review=in_review,
            remaining=planned - released,
            released_count=sum(t.status == Tranche.Status.RELEASED for t in live),
            tranche_count=len(live),
        )


class Tranche(TimeStampedModel):
    """One stage of funding, released when HR approves its milestone review."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_REVIEW = "in_review", _("Milestone review submitted")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(
        InvestmentPlan, on_delete=models.CASCADE, related_name="tranches"
    )
    position = models.PositiveSmallIntegerField(_("order"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    milestone = models.CharField(
        _("milestone to reach"), max_length=300, validators=[no_bidi_controls]
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    review = models.TextField(_("milestone review"), blank=True)
    review_submitted_at = models.DateTimeField(null=True, blank=True)
    review_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_note = models.TextField(_("HR's note"), blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "position"], name="tranche_position_per_plan"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount"),
            models.CheckConstraint(
                condition=~Q(status="released") | Q(released_at__isnull=False),
                name="released_tranche_has_date",
            ),
        ]

    def __str__(self):
        return f"#{self.position}: {self.amount}"
