"""The rules of the race: seasons, racecourses, challenges and stage windows."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from horserace.common.lifecycles import StatusChangeBase
from horserace.common.models import TimeStampedModel
from horserace.common.validators import no_bidi_controls


class Season(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
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
    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
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
    # Offline evaluation: the panel's pool and how work is shared out.
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator pool"),
        blank=True,
        related_name="evaluator_pools",
    )
    evaluators_per_project = models.PositiveSmallIntegerField(
        _("evaluators per project (k)"), default=3
    )
    max_projects_per_evaluator = models.PositiveSmallIntegerField(
        _("projects per evaluator at most (L)"), default=8
    )
    conflict_same_department = models.BooleanField(
        _("same department is a conflict"),
        default=False,
        help_text=_(
            "An evaluator in the captain's department may not judge the project."
        ),
    )
    conflict_manager_depth = models.PositiveSmallIntegerField(
        _("management levels in conflict"),
        default=2,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "How far up the management chain of each team member a conflict of "
            "interest reaches: 1 is the direct manager, 2 also their manager; "
            "0 turns it off."
        ),
    )
    blind_evaluation = models.BooleanField(
        _("blind evaluation"),
        default=False,
        help_text=_("Evaluators do not see who is on the team."),
    )
    # The Innovation Farm's recurring screening rounds (``contests.farm``).
    round_days = models.PositiveSmallIntegerField(
        _("screening round length in days"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_(
            "Innovation Farm only: each screening round lasts this long, and the "
            "next one opens when it closes."
        ),
    )
    round_entry_cutoff_days = models.PositiveSmallIntegerField(
        _("last days of a round closed to new ideas"),
        default=3,
        validators=[MaxValueValidator(30)],
        help_text=_(
            "Innovation Farm only: an idea planted in a round's last days waits "
            "for the next round, so that every idea is judged for long enough."
        ),
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
            models.CheckConstraint(
                condition=Q(evaluators_per_project__gte=1)
                & Q(max_projects_per_evaluator__gte=1),
                name="racecourse_evaluation_loads_min_1",
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
    title = models.CharField(_("title"), max_length=200, validators=[no_bidi_controls])
    brief = models.TextField(_("brief"))
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor"),
        on_delete=models.PROTECT,
        related_name="sponsored_challenges",
    )
    prize = models.CharField(
        _("prize"), max_length=200, blank=True, validators=[no_bidi_controls]
    )
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

    A racecourse has one window per stage, except the Innovation Farm, whose
    screening recurs: round 1, 2, … (``round``), each opened when the one
    before has closed (``contests.farm``). Readers that want "the" window of
    a stage get the current round from ``contests.selectors.window_get``.
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
    round = models.PositiveSmallIntegerField(
        _("round"),
        default=1,
        help_text=_("Innovation Farm screening: the number of the recurring round."),
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    rule = models.CharField(
        _("closing rule"), max_length=12, choices=Rule.choices, default=Rule.MANUAL
    )
    # How a screening window's judgments are cast, tallied and ranked: the name
    # of a mode registered in ``voting.screening.modes`` (no choices here, so a
    # new mode needs no migration of the calendar).
    mode = models.CharField(_("screening mode"), max_length=32, default="approval")
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
    missing_proposal = models.CharField(
        _("a project with no proposal at the close"),
        max_length=10,
        choices=[
            ("eliminate", _("is eliminated")),
            ("hold", _("waits for HR: extension or elimination")),
        ],
        default="eliminate",
        help_text=_("Gestation only."),
    )
    applied_at = models.DateTimeField(_("rule applied at"), null=True, blank=True)

    objects = StageWindowQuerySet.as_manager()

    class Meta:
        ordering = ["racecourse", "opens_at"]
        verbose_name = _("stage window")
        verbose_name_plural = _("stage windows")
        constraints = [
            models.UniqueConstraint(
                fields=["racecourse", "stage", "round"],
                name="one_window_per_stage_round",
            ),
            models.CheckConstraint(
                condition=Q(round__gte=1), name="window_round_min_1"
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
        if self.round > 1:
            return _("%(racecourse)s · %(stage)s, round %(round)s") % {
                "racecourse": self.racecourse,
                "stage": self.get_stage_display(),
                "round": self.round,
            }
        return f"{self.racecourse} · {self.get_stage_display()}"

    def is_open(self, when=None) -> bool:
        when = when or timezone.now()
        return self.opens_at <= when < self.closes_at


# --- Gestation: what the company puts behind a project -----------------------


class ResourceKind(models.TextChoices):
    """The kinds of support the horse race gives a team in gestation."""

    SERVICE_TOOLS = "service_tools", _("Service tools")
    TEST_ENVIRONMENT = "test_environment", _("Testing environment")
    VACATION_DAYS = "vacation_days", _("Horse-race vacation days")
    TRAINING = "training", _("Training drills")
    LEGAL = "legal", _("Legal consulting")
    FINANCIAL = "financial", _("Financial consulting")
    TRAINER = "trainer", _("Horse-race trainer")
    BONUS = "bonus", _("Bonus money")
    FORMAT_TESTING = "format_testing", _("Format testing")


class ResourceUnit(models.TextChoices):
    MONEY = "money", _("money")
    DAYS = "days", _("days")
    HOURS = "hours", _("hours")
    SLOTS = "slots", _("slots")


class Resource(TimeStampedModel):
    """One item of a season's resource catalogue, measured in one unit."""

    season = models.ForeignKey(
        Season,
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="resources",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200, validators=[no_bidi_controls])
    unit = models.CharField(_("unit"), max_length=8, choices=ResourceUnit.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("open for requests"), default=True)

    class Meta:
        ordering = ["season", "kind", "name"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "name"], name="resource_name_per_season"
            )
        ]

    def __str__(self):
        return self.name


class ResourceBudget(TimeStampedModel):
    """How much of a resource a racecourse may grant in total.

    Grants lock this row and sum what is already granted, so the budget is
    never overdrawn, even by grants made at the same moment.
    """

    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    racecourse = models.ForeignKey(
        Racecourse,
        verbose_name=_("racecourse"),
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    amount = models.DecimalField(_("budget"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["racecourse", "resource"]
        verbose_name = _("resource budget")
        verbose_name_plural = _("resource budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "racecourse"], name="one_budget_per_racecourse"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="budget_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.racecourse} · {self.resource}: {self.amount}"


class Trainer(TimeStampedModel):
    """A mentor in a season's trainer pool, with how many teams they can take."""

    season = models.ForeignKey(
        Season,
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="trainers",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainer"),
        on_delete=models.CASCADE,
        related_name="trainer_pools",
    )
    capacity = models.PositiveSmallIntegerField(_("teams at most"), default=3)
    expertise = models.CharField(
        _("expertise"), max_length=200, blank=True, validators=[no_bidi_controls]
    )
    is_active = models.BooleanField(_("taking teams"), default=True)

    class Meta:
        ordering = ["season", "user__display_name"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "user"], name="one_trainer_entry_per_season"
            )
        ]

    def __str__(self):
        return str(self.user)

    def clean(self):
        # The trainer rules ask ``is_mentor`` first, so only mentors may train.
        if self.user_id is not None and not self.user.is_mentor:
            raise ValidationError(
                {"user": _("Only people with the mentor role can be trainers.")}
            )


# --- Offline evaluation: how a racecourse's panel scores ---------------------


class Rubric(TimeStampedModel):
    """A racecourse's scoring rubric: criteria, each with a scale and a weight."""

    racecourse = models.OneToOneField(
        Racecourse,
        verbose_name=_("racecourse"),
        on_delete=models.CASCADE,
        related_name="rubric",
    )
    title = models.CharField(_("title"), max_length=200, validators=[no_bidi_controls])
    instructions = models.TextField(_("instructions for evaluators"), blank=True)

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return self.title


class Criterion(TimeStampedModel):
    rubric = models.ForeignKey(
        Rubric,
        verbose_name=_("rubric"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    name = models.CharField(_("name"), max_length=120, validators=[no_bidi_controls])
    guidance = models.TextField(_("guidance"), blank=True)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["rubric", "position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=models.F("scale_min")),
                name="criterion_scale_not_empty",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight"),
        ]

    def __str__(self):
        return self.name


# --- The season console: what HR changed, and why ----------------------------


class StatusChange(StatusChangeBase):
    """One row for every status change of a season (``contests/lifecycles.py``)."""

    class Meta(StatusChangeBase.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class WindowChange(models.Model):
    """One change HR made to a stage window: created, moved or closed early.

    Written by ``contests.console.services`` only, in the transaction of the
    change; the old times are empty for a window that was created.
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        MOVED = "moved", _("Moved")
        CLOSED_EARLY = "closed_early", _("Closed early")

    window = models.ForeignKey(
        StageWindow,
        verbose_name=_("stage window"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("change"), max_length=12, choices=Kind.choices)
    old_opens_at = models.DateTimeField(_("opened at before"), null=True, blank=True)
    old_closes_at = models.DateTimeField(_("closed at before"), null=True, blank=True)
    new_opens_at = models.DateTimeField(_("opens at"))
    new_closes_at = models.DateTimeField(_("closes at"))
    reason = models.TextField(_("reason"), blank=True, validators=[no_bidi_controls])
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["window", "at", "pk"]
        verbose_name = _("window change")
        verbose_name_plural = _("window changes")

    def __str__(self):
        return f"{self.window_id}: {self.kind} at {self.at:%Y-%m-%d %H:%M}"


# Who appointed whom (the set-up pages and API record it).
from .roles import RoleChange  # noqa: E402, F401
