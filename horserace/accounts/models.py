"""People and the company's department tree."""

import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from horserace.common.lifecycles import StatusChangeBase
from horserace.common.models import TimeStampedModel
from horserace.common.validators import no_bidi_controls

TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class Department(TimeStampedModel):
    """A unit of the company; departments form a tree through ``parent``."""

    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    code = models.SlugField(_("code"), max_length=50, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self):
        return self.name

    def ancestors(self) -> list["Department"]:
        """This department's parents, nearest first (the tree is shallow)."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """Ids of this department and every department below it."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(
                Department.objects.filter(parent_id__in=frontier)
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids.update(frontier)
        return ids


def scim_id_new() -> str:
    """An opaque, stable id for SCIM clients (never the row's sequential id)."""
    return uuid.uuid4().hex


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("is_hr_admin", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """An employee. The e-mail address is the login.

    Roles: every user is an employee; ``is_mentor``, ``is_evaluator`` and
    ``is_hr_admin`` add company-wide roles; racecourse admins are named on the
    racecourse itself (``contests.Racecourse.admins``).
    """

    # None removes an inherited field (Django supports it; the stubs cannot
    # express it and expect a str).
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("display name"), max_length=150, validators=[no_bidi_controls]
    )
    employee_number = models.CharField(
        _("employee number"), max_length=32, unique=True, null=True, blank=True
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
    )
    locale = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    is_mentor = models.BooleanField(_("mentor"), default=False)
    is_evaluator = models.BooleanField(_("evaluator"), default=False)
    is_hr_admin = models.BooleanField(
        _("HR admin"),
        default=False,
        help_text=_("Runs seasons: racecourses, schedules and decisions."),
    )

    # SCIM provisioning (horserace/accounts/scim/): the id we give the
    # identity provider, and the id it gave us.
    scim_id = models.CharField(
        _("SCIM id"), max_length=64, unique=True, default=scim_id_new, editable=False
    )
    scim_external_id = models.CharField(
        _("SCIM external id"), max_length=254, null=True, blank=True, db_index=True
    )
    is_provisioner = models.BooleanField(
        _("provisioning account"),
        default=False,
        help_text=_(
            "A service account of the identity provider that may push people over SCIM."
        ),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")
        ]

    def __str__(self):
        return self.display_name or self.email

    def get_full_name(self):
        return self.display_name or self.email

    def get_short_name(self):
        return self.display_name or self.email


class StatusChange(StatusChangeBase):
    """One row for every status change of an accounts lifecycle (a directory
    import's run: ``horserace/accounts/directory/lifecycles.py``)."""

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


def _import_upload_to(instance, filename: str) -> str:
    # A folder of its own, so the file keeps the name HR gave it.
    return f"directory/{timezone.now():%Y/%m}/{uuid.uuid4().hex[:12]}/{filename}"


class DirectoryImport(TimeStampedModel):
    """One run of the employee directory import: its file, progress and report.

    ``errors`` lists ``{"row": n, "employee_number": ..., "messages": [...]}``
    (row 1 is the header, so the first person is row 2; row 0 is the whole
    file); ``handovers`` lists what leavers held and who has it now
    (``horserace.accounts.leavers.Handover`` as a dict).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(_("file"), upload_to=_import_upload_to)
    full = models.BooleanField(
        _("full file"),
        default=False,
        help_text=_("Everyone with an employee number who is not in the file left."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("processed"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deactivated = models.PositiveIntegerField(_("deactivated"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    handovers = models.JSONField(_("handovers"), default=list, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("directory import")
        verbose_name_plural = _("directory imports")

    def __str__(self):
        return f"{self.file.name} ({self.status})"

    def get_absolute_url(self):
        return reverse("directory:import", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def file_basename(self) -> str:
        return (self.file.name or "").rsplit("/", 1)[-1]
