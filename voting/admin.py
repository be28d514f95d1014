"""Screening in the Django admin: read-only ballots, impressions and tallies.

Ballots are written by voters through ``voting.screening.services`` and tallies by the
tally task, so the admin only shows them; closing proposals are confirmed in
the browser by HR or the racecourse's admins.
"""

from django.contrib import admin

from .models import Ballot, ClosingProposal, Impression, Tally


class ReadOnlyAdmin(admin.ModelAdmin):
    """Look, filter and search; never add, edit or delete by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["idea", "voter", "choice", "window", "updated_at"]
    list_filter = ["window", "choice", "window__racecourse__season"]
    list_select_related = ["idea", "voter", "window__racecourse"]
    search_fields = ["idea__title", "voter__email", "voter__display_name"]
    date_hierarchy = "updated_at"
    show_full_result_count = False  # millions of rows: skip the second COUNT


@admin.register(Impression)
class ImpressionAdmin(ReadOnlyAdmin):
    list_display = ["idea", "voter", "window", "created_at"]
    list_filter = ["window"]
    list_select_related = ["idea", "voter", "window__racecourse"]
    search_fields = ["idea__title", "voter__email"]
    show_full_result_count = False


@admin.register(Tally)
class TallyAdmin(ReadOnlyAdmin):
    list_display = [
        "rank",
        "idea",
        "window",
        "supports",
        "opposes",
        "voters",
        "impressions",
        "support_rate",
        "wilson_lower",
        "computed_at",
    ]
    list_display_links = ["idea"]
    list_filter = ["window"]
    list_select_related = ["idea", "window__racecourse"]
    search_fields = ["idea__title"]
    ordering = ["window", "rank"]


@admin.register(ClosingProposal)
class ClosingProposalAdmin(admin.ModelAdmin):
    list_display = ["window", "confirmed_by", "confirmed_at", "updated_at"]
    list_filter = ["confirmed_at"]
    list_select_related = ["window__racecourse", "confirmed_by"]
    readonly_fields = ["confirmed_by", "confirmed_at", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False  # the closing task proposes; HR confirms in the browser


# --- evaluation: conflicts and assignments ---
# Conflicts, preferences and assignments are written through
# ``voting.evaluation`` (pages and API), which check permissions, lock the
# racecourse and notify people; the admin shows them and lets staff delete a
# stray row, nothing more.
from .models import Assignment, Conflict, EvaluatorPreference, Scorecard  # noqa: E402


class _EvaluationAdmin(ReadOnlyAdmin):
    """Read-only, but staff may delete a stray row."""

    def has_delete_permission(self, request, obj=None):
        return True


@admin.register(Conflict)
class ConflictAdmin(_EvaluationAdmin):
    list_display = ["idea", "evaluator", "kind", "source", "declared_by", "created_at"]
    list_filter = ["kind", "source", "idea__racecourse"]
    list_select_related = ["idea", "evaluator", "declared_by"]
    search_fields = ["idea__title", "evaluator__email", "evaluator__display_name"]
    date_hierarchy = "created_at"


@admin.register(EvaluatorPreference)
class EvaluatorPreferenceAdmin(_EvaluationAdmin):
    list_display = ["idea", "evaluator", "level", "updated_at"]
    list_filter = ["level", "idea__racecourse"]
    list_select_related = ["idea", "evaluator"]
    search_fields = ["idea__title", "evaluator__email", "evaluator__display_name"]


@admin.register(Assignment)
class AssignmentAdmin(_EvaluationAdmin):
    """Deleting an assignment deletes its scorecard: never a submitted one
    here (``assignment_remove`` lets HR do that on purpose, with ``force``)."""

    list_display = ["idea", "evaluator", "source", "assigned_by", "created_at"]
    list_filter = ["source", "idea__racecourse", "idea__stage"]
    list_select_related = ["idea", "evaluator", "assigned_by"]
    search_fields = ["idea__title", "evaluator__email", "evaluator__display_name"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            # No bulk delete: it could sweep submitted cards along.
            return False
        return not Scorecard.objects.filter(
            assignment=obj, status=Scorecard.Status.SUBMITTED
        ).exists()

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


# --- evaluation: scorecards and panel ---
# Scorecards are written by evaluators and decisions by the chair through
# ``voting.evaluation``; the admin shows them (a decision changes an idea's
# stage, which only the funnel may do), so everything here is read-only.
from .models import PanelComment, PanelDecision, Score  # noqa: E402


class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["criterion", "value"]
    readonly_fields = ["criterion", "value"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "status", "submitted_at", "updated_at"]
    list_filter = ["status", "assignment__idea__racecourse"]
    list_select_related = ["assignment__idea", "assignment__evaluator"]
    search_fields = ["assignment__idea__title", "assignment__evaluator__email"]
    inlines = [ScoreInline]


@admin.register(PanelComment)
class PanelCommentAdmin(ReadOnlyAdmin):
    list_display = ["idea", "author", "created_at"]
    list_filter = ["idea__racecourse"]
    list_select_related = ["idea", "author"]
    search_fields = ["idea__title", "body"]


@admin.register(PanelDecision)
class PanelDecisionAdmin(ReadOnlyAdmin):
    list_display = ["idea", "outcome", "calibrated_score", "decided_by", "created_at"]
    list_filter = ["outcome", "idea__racecourse"]
    list_select_related = ["idea", "decided_by"]
    search_fields = ["idea__title", "feedback"]
