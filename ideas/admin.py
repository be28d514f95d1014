from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Attachment,
    Idea,
    JoinRequest,
    Registration,
    StageTransition,
    TeamInvitation,
    TeamMembership,
)


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


class StageTransitionInline(admin.TabularInline):
    """Read-only: stages change through the funnel, never by hand here."""

    model = StageTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_stage", "to_stage", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Idea)
class IdeaAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "racecourse",
        "stage",
        "visibility",
        "author",
        "created_at",
    ]
    list_filter = ["stage", "visibility", "racecourse__season", "racecourse"]
    search_fields = ["title", "pitch", "author__display_name", "author__email"]
    readonly_fields = ["stage", "merged_into", "created_at", "updated_at"]
    autocomplete_fields = ["racecourse", "challenge", "author"]
    date_hierarchy = "created_at"
    inlines = [TeamMembershipInline, StageTransitionInline]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "idea", "season", "registered_at", "registered_by"]
    list_filter = ["season"]
    search_fields = ["idea__title", "fingerprint"]
    readonly_fields = [f.name for f in Registration._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(StageTransition)
class StageTransitionAdmin(admin.ModelAdmin):
    list_display = ["idea", "from_stage", "to_stage", "actor", "created_at"]
    list_filter = ["to_stage", "from_stage"]
    search_fields = ["idea__title", "reason"]
    readonly_fields = [
        "idea",
        "from_stage",
        "to_stage",
        "actor",
        "reason",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TeamInvitation)
class TeamInvitationAdmin(admin.ModelAdmin):
    list_display = ["idea", "invitee", "invited_by", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["idea__title", "invitee__email"]
    raw_id_fields = ["idea", "invitee", "invited_by"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["idea", "requester", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["idea__title", "requester__email"]
    raw_id_fields = ["idea", "requester", "decided_by"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "idea", "size", "content_type", "uploaded_by", "created_at"]
    search_fields = ["name", "idea__title"]
    raw_id_fields = ["idea", "uploaded_by"]


# --- gestation (helper) ---
# --- end gestation ---

# --- realization (helper) ---
# --- end realization ---
