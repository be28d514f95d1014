"""Screening in the Django admin: read-only ballots, impressions and tallies.

Ballots are written by voters through ``voting.services`` and tallies by the
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


# --- evaluation: conflicts and assignments (helper) ---
# --- end evaluation: conflicts and assignments ---

# --- evaluation: scorecards and panel (helper) ---
# --- end evaluation: scorecards and panel ---
