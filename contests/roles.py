"""Roles HR hands out, and who appointed whom: one row per role given or taken away."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles HR (and racecourse admins, on their racecourses) hand out."""

    EVALUATOR = "evaluator", _("Evaluator")
    MENTOR = "mentor", _("Mentor")
    HR_ADMIN = "hr_admin", _("HR admin")
    RACECOURSE_ADMIN = "racecourse_admin", _("Racecourse admin")
    RACECOURSE_EVALUATOR = "racecourse_evaluator", _("Evaluator pool of a racecourse")


#: Roles held on one racecourse (the others are company-wide flags on the user).
RACECOURSE_ROLES = frozenset({Role.RACECOURSE_ADMIN, Role.RACECOURSE_EVALUATOR})


class RoleChange(models.Model):
    """A role given to, or taken from, a person: by whom, when and how."""

    class Action(models.TextChoices):
        APPOINT = "appoint", _("appointed")
        REMOVE = "remove", _("removed")

    class Source(models.TextChoices):
        PAGE = "page", _("page")
        CSV = "csv", _("CSV upload")
        API = "api", _("API")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="role_changes",
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    racecourse = models.ForeignKey(
        "contests.Racecourse",
        verbose_name=_("racecourse"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_changes",
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="role_changes_made",
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        app_label = "contests"
        ordering = ["-created_at", "-pk"]
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")

    def __str__(self):
        return f"{self.actor} {self.action} {self.person}: {self.role}"
