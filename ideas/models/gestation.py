"""Gestation: a shortlisted team develops its idea with company resources and
a trainer, reports progress against milestones, and submits a final proposal.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from horserace.common.models import TimeStampedModel
from horserace.common.validators import no_bidi_controls

from .base import Idea


class ResourceRequest(TimeStampedModel):
    """A team asks for an amount of a catalogue resource, saying why.

    A racecourse admin or HR grants it (possibly less), declines it with a
    reason, or asks a question; the team's answer puts it back in the queue.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        QUESTION = "question", _("Question for the team")
        GRANTED = "granted", _("Granted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="resource_requests"
    )
    resource = models.ForeignKey(
        "contests.Resource",
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="requests",
    )
    amount = models.DecimalField(_("amount asked"), max_digits=12, decimal_places=2)
    justification = models.TextField(_("justification"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    granted_amount = models.DecimalField(
        _("amount granted"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note or reason"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="request_amount"),
            models.CheckConstraint(
                condition=~Q(status="granted")
                | Q(granted_amount__isnull=False, granted_amount__gt=0),
                name="granted_request_has_amount",
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True)
                | Q(granted_amount__lte=models.F("amount")),
                name="grant_not_more_than_asked",
            ),
        ]
        indexes = [models.Index(fields=["resource", "status"])]

    def __str__(self):
        return f"{self.idea_id}: {self.amount} {self.resource}"


class ResourceRequestMessage(TimeStampedModel):
    """A question from the granting side, or the team's answer."""

    request = models.ForeignKey(
        ResourceRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("message"), max_length=4000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("resource request message")
        verbose_name_plural = _("resource request messages")

    def __str__(self):
        return f"{self.request_id}: {self.body[:40]}"


class TrainerAssignment(TimeStampedModel):
    """A horse-race trainer (mentor) for a team.

    A team may ask for one (``REQUESTED``, with a preferred trainer or none);
    HR or the racecourse admin assigns one (``ACTIVE``), within the trainer's
    capacity. Ending an assignment frees the trainer's seat.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        DECLINED = "declined", _("Declined")

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="trainer_assignments"
    )
    trainer = models.ForeignKey(
        "contests.Trainer",
        verbose_name=_("trainer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    message = models.TextField(_("what the team needs"), blank=True, max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("trainer assignment")
        verbose_name_plural = _("trainer assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["idea"],
                condition=Q(status__in=["requested", "active"]),
                name="one_open_trainer_assignment",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(trainer__isnull=False),
                name="active_assignment_has_trainer",
            ),
        ]

    def __str__(self):
        return f"{self.trainer} → {self.idea_id} ({self.status})"


class TrainerSession(TimeStampedModel):
    """A coaching session a trainer logs. Private to team, trainer and HR."""

    assignment = models.ForeignKey(
        TrainerAssignment, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("held on"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=60)
    topic = models.CharField(_("topic"), max_length=200, validators=[no_bidi_controls])
    notes = models.TextField(_("notes"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("trainer session")
        verbose_name_plural = _("trainer sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1), name="session_duration"
            )
        ]

    def __str__(self):
        return f"{self.held_on}: {self.topic}"


class Milestone(TimeStampedModel):
    """A step the team sets itself; done when the team says so."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200, validators=[no_bidi_controls])
    description = models.TextField(_("description"), blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["idea", "position", "due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self):
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class ProgressUpdate(TimeStampedModel):
    """A post from the team, optionally about one milestone."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="progress_updates"
    )
    milestone = models.ForeignKey(
        Milestone,
        verbose_name=_("milestone"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("update"), max_length=8000)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return f"{self.idea_id}: {self.body[:40]}"


class FinalProposal(TimeStampedModel):
    """The team's final proposal; submitting it moves the idea to evaluation.

    Its attachments are the idea's ``Attachment`` rows of kind ``proposal``.
    """

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="final_proposal"
    )
    summary = models.CharField(
        _("summary"), max_length=500, validators=[no_bidi_controls]
    )
    document = models.TextField(
        _("proposal document"), help_text=_("Markdown is supported.")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("final proposal")
        verbose_name_plural = _("final proposals")

    def __str__(self):
        return self.summary


class ProposalExtension(TimeStampedModel):
    """HR gives a team more time for its proposal after the gestation close."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="proposal_extensions"
    )
    until = models.DateTimeField(_("until"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-until"]
        verbose_name = _("proposal extension")
        verbose_name_plural = _("proposal extensions")

    def __str__(self):
        return f"{self.idea_id} until {self.until:%Y-%m-%d}"
