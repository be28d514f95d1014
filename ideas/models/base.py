"""Ideas, registration, teams and stage history."""

import os
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from horserace.common.models import TimeStampedModel
from horserace.common.notes import note_text
from horserace.common.validators import no_bidi_controls

if TYPE_CHECKING:
    from horserace.accounts.models import User


class Stage(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REGISTERED = "registered", _("Registered")
    SCREENING = "screening", _("Online screening")
    GESTATION = "gestation", _("Gestation")
    EVALUATION = "evaluation", _("Offline evaluation")
    REALIZATION = "realization", _("Realization")
    REALIZED = "realized", _("Realized")
    ELIMINATED = "eliminated", _("Eliminated")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged")


class Visibility(models.TextChoices):
    EVERYONE = "everyone", _("Everyone in the company")
    RACECOURSE = "racecourse", _("Members of the racecourse")
    CONFIDENTIAL = "confidential", _("Confidential: team, evaluators and HR only")


class IdeaQuerySet(models.QuerySet):
    def in_season(self, season):
        return self.filter(racecourse__season=season)

    def active(self):
        """Ideas still in the race (not ended by elimination, withdrawal or merge)."""
        return self.exclude(stage__in=[Stage.ELIMINATED, Stage.WITHDRAWN, Stage.MERGED])


class Idea(TimeStampedModel):
    racecourse = models.ForeignKey(
        "contests.Racecourse",
        verbose_name=_("racecourse"),
        on_delete=models.PROTECT,
        related_name="ideas",
    )
    challenge = models.ForeignKey(
        "contests.Challenge",
        verbose_name=_("challenge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
        help_text=_("The company topic this idea answers, if any."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authored_ideas",
    )
    title = models.CharField(_("title"), max_length=120, validators=[no_bidi_controls])
    pitch = models.CharField(
        _("one-line pitch"),
        max_length=200,
        help_text=_("One sentence a colleague can judge in five seconds."),
        validators=[no_bidi_controls],
    )
    problem = models.TextField(_("problem"), help_text=_("What hurts, and for whom?"))
    proposal = models.TextField(
        _("proposal"), help_text=_("Your solution. Markdown is supported.")
    )
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=Stage.choices,
        default=Stage.DRAFT,
        db_index=True,
        editable=False,
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.EVERYONE,
    )
    anonymous = models.BooleanField(
        _("anonymous toward voters and evaluators"),
        default=False,
        help_text=_("Hide the team's names from voters and evaluators."),
    )
    promoted_from = models.ForeignKey(
        "contests.Racecourse",
        verbose_name=_("promoted from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promoted_ideas",
        editable=False,
        help_text=_("The department racecourse this idea won before moving up."),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_ideas",
        editable=False,
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = IdeaQuerySet.as_manager()
    # Set before a save, read by django-simple-history for its history row.
    _change_reason: str
    _history_user: "User"
    # (user id, role or None) of a viewer, loaded with the idea by
    # voting.screening.selectors.ballots.idea_for_judging for ideas.visibility.
    viewer_membership: tuple[int, str | None]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [models.Index(fields=["racecourse", "stage"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ideas:detail", args=[self.pk])


class Registration(TimeStampedModel):
    """An idea's timestamped claim of authorship ("registering its name").

    ``fingerprint`` is the SHA-256 of ``content`` in canonical JSON, taken at
    registration and never changed, so the author can prove what was claimed
    and when, even after later edits.
    """

    idea = models.OneToOneField(
        Idea, on_delete=models.CASCADE, related_name="registration"
    )
    season = models.ForeignKey(
        "contests.Season", on_delete=models.PROTECT, related_name="registrations"
    )
    number = models.PositiveIntegerField(_("registration number"))
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    content = models.JSONField(_("registered content"))

    class Meta:
        ordering = ["season", "number"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "number"], name="registration_number_per_season"
            )
        ]

    def __str__(self):
        return f"{self.season.year}-{self.number:04d}"

    @property
    def code(self) -> str:
        return f"HR-{self.season.year}-{self.number:04d}"


class StageTransition(models.Model):
    """One row for every stage change: who, when, from where to where, and why."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("from"), max_length=12, choices=Stage.choices)
    to_stage = models.CharField(_("to"), max_length=12, choices=Stage.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    # A system note's message id and parameters (horserace.common.notes), so
    # each reader reads it in their language; None for a reason a person typed.
    reason_note = models.JSONField(_("reason as a note"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("stage transition")
        verbose_name_plural = _("stage transitions")

    def __str__(self):
        return f"{self.idea_id}: {self.from_stage} → {self.to_stage}"

    @property
    def reason_text(self) -> str:
        """The reason in the reader's language (a typed one as typed)."""
        return note_text(self.reason_note, self.reason)


def attachment_path(instance, filename):
    return f"attachments/idea-{instance.idea_id}/{os.path.basename(filename)}"


class Attachment(TimeStampedModel):
    class Kind(models.TextChoices):
        IDEA = "idea", _("Idea")
        PROPOSAL = "proposal", _("Final proposal")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(
        _("belongs to"), max_length=10, choices=Kind.choices, default=Kind.IDEA
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    size = models.PositiveIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class TeamMembership(TimeStampedModel):
    """A person on an idea's team. The author starts as captain."""

    class Role(models.TextChoices):
        CAPTAIN = "captain", _("Captain")
        MEMBER = "member", _("Member")

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=8, choices=Role.choices, default=Role.MEMBER
    )

    class Meta:
        ordering = ["idea", "role", "created_at"]  # "captain" sorts first
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="one_membership"),
            models.UniqueConstraint(
                fields=["idea"], condition=Q(role="captain"), name="one_captain"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.idea}"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class TeamInvitation(TimeStampedModel):
    """The captain asks a colleague onto the team; the colleague answers."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "invitee"],
                condition=Q(status="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self):
        return f"{self.invitee} → {self.idea}"


class JoinRequest(TimeStampedModel):
    """A colleague asks to join a team; the captain answers."""

    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, related_name="join_requests"
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "requester"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]

    def __str__(self):
        return f"{self.requester} → {self.idea}"
