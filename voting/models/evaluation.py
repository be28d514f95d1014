"""Offline evaluation: a racecourse's panel scores the projects with its rubric.

Conflicts of interest are either automatic (computed, see
``voting.evaluation.conflicts``) or declared (a ``Conflict`` row). Evaluators
are assigned to projects (``Assignment``); each fills one ``Scorecard`` with a
``Score`` per rubric criterion. The chair records one ``PanelDecision``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from horserace.common.models import TimeStampedModel


class Conflict(TimeStampedModel):
    """A declared conflict of interest between an evaluator and a project."""

    class Kind(models.TextChoices):
        # Automatic kinds (never stored, listed here so they share labels).
        TEAM = "team", _("On the team")
        MANAGER = "manager", _("In the management chain of a team member")
        TRAINER = "trainer", _("The team's trainer")
        ENTRANT = "entrant", _("Competes in the same racecourse")
        DEPARTMENT = "department", _("Same department as the captain")
        # Declared kinds.
        PERSONAL = "personal", _("Personal relationship")
        COLLABORATION = "collaboration", _("Recent close collaboration")
        FINANCIAL = "financial", _("Financial interest")
        COMPETING = "competing", _("Competing project or interest")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        EVALUATOR = "evaluator", _("Declared by the evaluator")
        TEAM = "team", _("Declared by the team")
        ADMIN = "admin", _("Recorded by HR or the racecourse admin")

    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="conflicts"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    source = models.CharField(_("declared by"), max_length=10, choices=Source.choices)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["idea", "evaluator"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "evaluator"], name="one_declared_conflict"
            )
        ]

    def __str__(self):
        return f"{self.evaluator_id} ✕ {self.idea_id} ({self.kind})"


class EvaluatorPreference(TimeStampedModel):
    """How much an evaluator wants to judge a project (as HotCRP's preferences)."""

    class Level(models.IntegerChoices):
        NOT_WANT = -1, _("Rather not")
        NEUTRAL = 0, _("No preference")
        WANT = 1, _("Would like to")

    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluation_preferences",
    )
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="evaluator_preferences"
    )
    level = models.SmallIntegerField(_("preference"), choices=Level.choices)

    class Meta:
        verbose_name = _("evaluator preference")
        verbose_name_plural = _("evaluator preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluator", "idea"], name="one_preference_per_project"
            )
        ]

    def __str__(self):
        return f"{self.evaluator_id} {self.level:+d} {self.idea_id}"


class Assignment(TimeStampedModel):
    """An evaluator is to score a project."""

    class Source(models.TextChoices):
        AUTO = "auto", _("Automatic")
        MANUAL = "manual", _("By hand")

    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="evaluation_assignments"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluation_assignments",
    )
    source = models.CharField(
        _("made"), max_length=6, choices=Source.choices, default=Source.AUTO
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["idea", "created_at"]
        verbose_name = _("evaluation assignment")
        verbose_name_plural = _("evaluation assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "evaluator"], name="one_assignment_per_pair"
            )
        ]

    def __str__(self):
        return f"{self.evaluator_id} → {self.idea_id}"


class Scorecard(TimeStampedModel):
    """One evaluator's scores for one project, with comments."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    assignment = models.OneToOneField(
        Assignment, on_delete=models.CASCADE, related_name="scorecard"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    team_comment = models.TextField(
        _("comment for the team"),
        blank=True,
        help_text=_("The team reads this with the panel's decision."),
    )
    panel_note = models.TextField(
        _("private note for the panel"),
        blank=True,
        help_text=_("Only the panel, the racecourse admin and HR read this."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="submitted_scorecard_has_date",
            )
        ]

    def __str__(self):
        return f"{self.assignment}: {self.status}"


class Score(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "contests.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"


class PanelComment(TimeStampedModel):
    """The panel's discussion of a project. Conflicted evaluators never see it."""

    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="panel_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=4000)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("panel comment")
        verbose_name_plural = _("panel comments")

    def __str__(self):
        return f"{self.idea_id}: {self.body[:40]}"


class PanelDecision(TimeStampedModel):
    """The chair's decision on a project, with feedback the team reads."""

    class Outcome(models.TextChoices):
        SELECTED = "selected", _("Selected for realization")
        ELIMINATED = "eliminated", _("Eliminated")

    idea = models.OneToOneField(
        "ideas.Idea", on_delete=models.CASCADE, related_name="panel_decision"
    )
    outcome = models.CharField(_("decision"), max_length=10, choices=Outcome.choices)
    feedback = models.TextField(_("feedback for the team"))
    calibrated_score = models.FloatField(_("calibrated score"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("panel decision")
        verbose_name_plural = _("panel decisions")

    def __str__(self):
        return f"{self.idea_id}: {self.outcome}"
