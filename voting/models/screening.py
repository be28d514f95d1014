"""The judging: employee-wide screening ballots, impressions and tallies.

A screening *round* is a racecourse's screening ``StageWindow``: ballots,
impressions and tallies are unique per (voter or idea, idea, window).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from horserace.common.models import TimeStampedModel


class Choice(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")


class Ballot(TimeStampedModel):
    """One voter's judgment of one idea in one round; changed in place."""

    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballots"
    )
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="ballots"
    )
    window = models.ForeignKey(
        "contests.StageWindow", on_delete=models.CASCADE, related_name="ballots"
    )
    choice = models.CharField(_("judgment"), max_length=8, choices=Choice.choices)
    reason = models.CharField(_("reason"), max_length=280, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "idea", "window"],
                name="one_ballot_per_voter_idea_round",
            ),
        ]
        # Covers the tally's grouped count: an index-only scan, no table reads.
        indexes = [
            models.Index(fields=["window", "idea", "choice"], name="ballot_tally_idx")
        ]

    def __str__(self):
        return f"{self.voter_id} {self.choice} {self.idea_id}"


class Impression(models.Model):
    """An idea was shown to a voter in a round (recorded once)."""

    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="impressions"
    )
    window = models.ForeignKey(
        "contests.StageWindow", on_delete=models.CASCADE, related_name="impressions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("impression")
        verbose_name_plural = _("impressions")
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "idea", "window"], name="one_impression_per_round"
            ),
        ]
        # The tally counts per (window, idea) from it; the judging queue counts
        # an idea's impressions since the last tally snapshot by range on
        # created_at (``voting.screening.selectors.queue``).
        indexes = [
            models.Index(
                fields=["window", "idea", "created_at"], name="impression_exposure_idx"
            )
        ]

    def __str__(self):
        return f"{self.voter_id} saw {self.idea_id}"


class Tally(models.Model):
    """A snapshot of one idea's standing in one round, written by a task.

    Pages and the API read tallies; nothing counts ballots on the fly.
    """

    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="tallies"
    )
    window = models.ForeignKey(
        "contests.StageWindow", on_delete=models.CASCADE, related_name="tallies"
    )
    supports = models.PositiveIntegerField(_("supports"), default=0)
    opposes = models.PositiveIntegerField(_("opposes"), default=0)
    voters = models.PositiveIntegerField(_("voters"), default=0)
    impressions = models.PositiveIntegerField(_("impressions"), default=0)
    support_rate = models.FloatField(_("support rate"), default=0.0)
    wilson_lower = models.FloatField(_("Wilson lower bound"), default=0.0)
    wilson_upper = models.FloatField(_("Wilson upper bound"), default=0.0)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["window", "rank"]
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["idea", "window"], name="one_tally_per_round"
            ),
        ]

    def __str__(self):
        return f"{self.idea_id}@{self.window_id}: {self.supports}/{self.voters}"


class ClosingProposal(TimeStampedModel):
    """What a "decided by a person" window's rule proposes, until confirmed.

    ``passing`` lists the idea ids the rule proposes to pass; an HR or
    racecourse admin may edit the list and confirm it, which applies it.
    """

    window = models.OneToOneField(
        "contests.StageWindow", on_delete=models.CASCADE, related_name="proposal"
    )
    passing = models.JSONField(_("ideas proposed to pass"), default=list)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("closing proposal")
        verbose_name_plural = _("closing proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="confirmed_proposal_has_confirmer",
            )
        ]

    def __str__(self):
        return f"{self.window}: {len(self.passing)}"
