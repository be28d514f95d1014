"""The access log: HR or a racecourse admin opened a confidential idea, or
unmasked an anonymous team, and said why.

Seeing more sensitive data needs more permission (DESIGN.md): the body of a
confidential idea and the names behind an anonymous one are not shown to HR
or to the racecourse's admins by default. They ask for it with a reason; the
row they write is the grant (it lasts ``IdeaAccess.LIFETIME``) and the record:
HR reviews every row, and the team sees that it happened.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdeaAccessQuerySet(models.QuerySet):
    def active(self, *, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class IdeaAccess(models.Model):
    """One look behind the curtain: who, what, when and why."""

    LIFETIME = timedelta(hours=8)

    class Kind(models.TextChoices):
        OPEN = "open", _("opened the confidential idea")
        UNMASK = "unmask", _("unmasked the anonymous team")

    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()

    objects = IdeaAccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "idea", "kind", "expires_at"])]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.idea_id} at {self.created_at:%Y-%m-%d %H:%M}"
