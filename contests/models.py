"""The rules of the race: seasons, racecourses, challenges and stage windows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from horserace.core.models import TimeStampedModel


class Season(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    teams_per_person = models.PositiveSmallIntegerField(
        _("teams per person"),
        default=3,
        help_text=_("How many teams one employee may be on in this season."),
    )

    class Meta:
        ordering = ["-year", "-starts_on"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="season_ends_after_start",
            )
        ]

    def __str__(self):
        return self.name


class Racecourse(TimeStampedModel):
    """A race inside a season: the main one, a department's, or the farm.

    Department racecourses feed their ``parent`` (usually the main racecourse):
    at the close of screening their best ``promotion_quota`` ideas move up.
    The farm is always open: ideas may be registered there at any time.
    """

    class Kind(models.TextChoices):
        MAIN = "main", _("Main racecourse")
        DEPARTMENT = "department", _("Department racecourse")
        FARM = "farm", _("Innovation Farm")

    season = models.ForeignKey(
        Season,
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="racecourses",
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("feeds into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="racecourses",
    )
    admins = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("racecourse admins"),
        blank=True,
        related_name="administered_racecourses",
    )
    team_size_limit = models.PositiveSmallIntegerField(_("team size limit"), default=8)
    audience = models.CharField(
        _("who may vote"),
        max_length=12,
        choices=[
            ("company", _("The whole company")),
            ("department", _("Its department")),
        ],
        blank=True,
        help_text=_(
            "Empty: the whole company on the main racecourse and the farm, the "
            "department on a department racecourse."
        ),
    )
    promotion_quota = models.PositiveSmallIntegerField(
        _("promotion quota"),
        default=0,
        help_text=_("How many ideas move up to the parent racecourse."),
    )

    class Meta:
        ordering = ["season", "kind", "name"]
        verbose_name = _("racecourse")
        verbose_name_plural = _("racecourses")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "slug"], name="racecourse_slug_per_season"
            ),
            models.UniqueConstraint(
                fields=["season"],
                condition=Q(kind="main"),
                name="one_main_racecourse_per_season",
            ),
            models.CheckConstraint(
                condition=Q(team_size_limit__gte=1), name="racecourse_team_size_min_1"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contests:racecourse", args=[self.pk])

    @property
    def is_farm(self) -> bool:
        return self.kind == self.Kind.FARM


class Challenge(TimeStampedModel):
    """A company topic ("official call for projects") inside a racecourse."""

    racecourse = models.ForeignKey(
        Racecourse,
        verbose_name=_("racecourse"),
        on_delete=models.CASCADE,
        related_name="challenges",
    )
    title = models.CharField(_("title"), max_length=200)
    brief = models.TextField(_("brief"))
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        on_delete=models.PROTECT,
        related_name="sponsored_challenges",
    )
    prize = models.CharField(_("prize"), max_length=200, blank=True)
    is_open = models.BooleanField(_("accepting ideas"), default=True)

    class Meta:
        ordering = ["racecourse", "title"]
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")

    def __str__(self):
        return self.title


class WindowStage(models.TextChoices):
    """The stages whose time is bounded by a window."""

    REGISTRATION = "registration", _("Registration")
    SCREENING = "screening", _("Online screening")
    GESTATION = "gestation", _("Gestation")
    EVALUATION = "evaluation", _("Offline evaluation")


class StageWindowQuerySet(models.QuerySet):
    def open_at(self, when):
        return self.filter(opens_at__lte=when, closes_at__gt=when)

    def closed_unapplied(self, when):
        return self.filter(closes_at__lte=when, applied_at__isnull=True)


class StageWindow(TimeStampedModel):
    """The time a racecourse gives one stage, and what happens at its close.

    The closing rule is stored here and applied by a periodic task through
    the funnel (``applied_at`` marks a window whose rule has run).
    """

    class Rule(models.TextChoices):
        TOP_K = "top_k", _("Top K go on")
        THRESHOLD = "threshold", _("Support rate threshold")
        VOTED_DOWN = "voted_down", _("Out when opposed by more than supported")
        MANUAL = "manual", _("Decided by a person")

    racecourse = models.ForeignKey(
        Racecourse,
        verbose_name=_("racecourse"),
        on_delete=models.CASCADE,
        related_name="windows",
    )
    stage = models.CharField(_("stage"), max_length=16, choices=WindowStage.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    rule = models.CharField(
        _("closing rule"), max_length=12, choices=Rule.choices, default=Rule.MANUAL
    )
    top_k = models.PositiveIntegerField(_("K (top K)"), null=True, blank=True)
    threshold_rate = models.DecimalField(
        _("minimum support rate"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        help_text=_("Between 0 and 1, for the threshold rule."),
    )
    threshold_min_voters = models.PositiveIntegerField(
        _("minimum voters"), null=True, blank=True
    )
    support_budget = models.PositiveIntegerField(
        _("supports per voter"),
        null=True,
        blank=True,
        help_text=_("Screening only: how many ideas each voter may support."),
    )
    hide_counts = models.BooleanField(
        _("hide counts until the close"),
        default=True,
        help_text=_("Screening only: voters see no counts while the window is open."),
    )
    applied_at = models.DateTimeField(_("rule applied at"), null=True, blank=True)

    objects = StageWindowQuerySet.as_manager()

    class Meta:
        ordering = ["racecourse", "opens_at"]
        verbose_name = _("stage window")
        verbose_name_plural = _("stage windows")
        constraints = [
            models.UniqueConstraint(
                fields=["racecourse", "stage"], name="one_window_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="window_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(rule="top_k") | Q(top_k__isnull=False, top_k__gte=1),
                name="top_k_rule_needs_k",
            ),
            models.CheckConstraint(
                condition=~Q(rule="threshold")
                | Q(
                    threshold_rate__isnull=False,
                    threshold_rate__gte=0,
                    threshold_rate__lte=1,
                ),
                name="threshold_rule_needs_rate",
            ),
        ]

    def __str__(self):
        return f"{self.racecourse} · {self.get_stage_display()}"

    def is_open(self, when=None) -> bool:
        when = when or timezone.now()
        return self.opens_at <= when < self.closes_at
