from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Challenge, Racecourse, Season, StageWindow
from .roles import RoleChange


class LocalTimesMixin:
    """Window times are typed and shown in the admin's own time zone: say which.

    Django reads a typed date and time in the time zone active for the
    request (the person's ``time_zone``, see ``UserPreferencesMiddleware``)
    and stores it in UTC, so 09:00 typed in Berlin closes at 09:00 Berlin time
    whether or not a daylight-saving change falls in between. A wall-clock
    time that the change makes ambiguous or skips is refused by the form.
    """

    local_time_fields = ("opens_at", "closes_at")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.local_time_fields:
            field.help_text = _(
                "In your time zone, %(zone)s (set in your profile)."
            ) % {"zone": timezone.get_current_timezone_name()}
        return field


class RacecourseInline(admin.TabularInline):
    model = Racecourse
    fields = ["name", "slug", "kind", "parent", "department", "promotion_quota"]
    extra = 0
    show_change_link = True


@admin.register(Season)
class SeasonAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "year",
        "starts_on",
        "ends_on",
        "status",
        "teams_per_person",
    ]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    inlines = [RacecourseInline]


class StageWindowInline(LocalTimesMixin, admin.TabularInline):
    model = StageWindow
    fields = [
        "stage",
        "opens_at",
        "closes_at",
        "rule",
        "top_k",
        "threshold_rate",
        "threshold_min_voters",
        "support_budget",
        "hide_counts",
        "missing_proposal",
        "applied_at",
    ]
    readonly_fields = ["applied_at"]
    extra = 0


class ChallengeInline(admin.StackedInline):
    model = Challenge
    extra = 0
    autocomplete_fields = ["sponsor"]


@admin.register(Racecourse)
class RacecourseAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "season",
        "kind",
        "parent",
        "department",
        "team_size_limit",
        "promotion_quota",
    ]
    list_filter = ["season", "kind"]
    search_fields = ["name", "slug", "department__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "department", "admins", "evaluators"]
    inlines = [StageWindowInline, ChallengeInline]


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "racecourse", "sponsor", "prize", "is_open"]
    list_filter = ["racecourse__season", "racecourse", "is_open"]
    search_fields = ["title", "brief", "sponsor__display_name"]
    autocomplete_fields = ["racecourse", "sponsor"]


@admin.register(StageWindow)
class StageWindowAdmin(LocalTimesMixin, admin.ModelAdmin):
    list_display = [
        "racecourse",
        "stage",
        "round",
        "opens_at",
        "closes_at",
        "rule",
        "applied_at",
    ]
    list_filter = ["stage", "rule", "racecourse__season"]
    search_fields = ["racecourse__name"]
    date_hierarchy = "closes_at"
    autocomplete_fields = ["racecourse"]
    # One screening mode is registered today (approval); shown, not edited,
    # until a second one gives HR a choice.
    readonly_fields = ["mode"]

    def get_readonly_fields(self, request, obj=None):
        # The farm's rounds are numbered by the task that opens them.
        return [*super().get_readonly_fields(request, obj), "round"]


# --- gestation: catalogue, budgets, trainer pool ---
from .models import Resource, ResourceBudget, Trainer  # noqa: E402


class ResourceBudgetInline(admin.TabularInline):
    """What each racecourse may grant of the resource in total."""

    model = ResourceBudget
    fields = ["racecourse", "amount"]
    autocomplete_fields = ["racecourse"]
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "season", "kind", "unit", "is_active"]
    list_filter = ["season", "kind", "unit", "is_active"]
    search_fields = ["name", "description"]
    inlines = [ResourceBudgetInline]


@admin.register(Trainer)
class TrainerAdmin(admin.ModelAdmin):
    list_display = ["user", "season", "capacity", "expertise", "is_active"]
    list_filter = ["season", "is_active"]
    search_fields = ["user__display_name", "user__email", "expertise"]
    autocomplete_fields = ["user"]


# --- evaluation: rubrics ---
# Prefer the rubric page (/evaluation/racecourses/<id>/rubric/): it refuses to
# change the scale or weight of a criterion that submitted scorecards use.
from .models import Criterion, Rubric  # noqa: E402


class CriterionInline(admin.TabularInline):
    model = Criterion
    fields = ["position", "name", "guidance", "scale_min", "scale_max", "weight"]
    extra = 0


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["title", "racecourse"]
    list_filter = ["racecourse__season"]
    list_select_related = ["racecourse"]
    search_fields = ["title", "racecourse__name"]
    autocomplete_fields = ["racecourse"]
    inlines = [CriterionInline]


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The record of who appointed whom: read only (roles change on /setup/)."""

    list_display = ["created_at", "person", "role", "racecourse", "action", "actor"]
    list_filter = ["role", "action", "source"]
    list_select_related = ["person", "racecourse", "actor"]
    search_fields = ["person__display_name", "person__email", "actor__email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
