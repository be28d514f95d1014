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
    # Answers go through the services and the lifecycle's door (ideas/lifecycles.py).
    readonly_fields = ["status", "responded_at"]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ["idea", "requester", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["idea__title", "requester__email"]
    raw_id_fields = ["idea", "requester", "decided_by"]
    # Answers go through the services and the lifecycle's door (ideas/lifecycles.py).
    readonly_fields = ["status", "decided_by", "responded_at"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["name", "idea", "size", "content_type", "uploaded_by", "created_at"]
    search_fields = ["name", "idea__title"]
    raw_id_fields = ["idea", "uploaded_by"]
    # Files come in through attachment_add only, which checks their size,
    # type and content; the admin can rename or delete, not upload.
    readonly_fields = ["file", "size", "content_type", "sha256"]

    def has_add_permission(self, request):
        return False


# --- gestation ---
from .models import (  # noqa: E402
    FinalProposal,
    Milestone,
    ProgressUpdate,
    ProposalExtension,
    ResourceRequest,
    ResourceRequestMessage,
    TrainerAssignment,
    TrainerSession,
)


class ResourceRequestMessageInline(admin.TabularInline):
    model = ResourceRequestMessage
    extra = 0
    fields = ["author", "body", "created_at"]
    readonly_fields = ["created_at"]
    raw_id_fields = ["author"]


@admin.register(ResourceRequest)
class ResourceRequestAdmin(admin.ModelAdmin):
    """Read mostly: decide requests on the gestation desk, where the budget
    rule is enforced."""

    list_display = [
        "idea",
        "resource",
        "amount",
        "status",
        "granted_amount",
        "created_at",
    ]
    list_filter = ["status", "resource__season", "resource__kind"]
    search_fields = ["idea__title", "resource__name", "justification"]
    raw_id_fields = ["idea", "resource", "requested_by", "decided_by"]
    # Who asked for what, and the decision, change only through the services
    # (the budget lock, the amount checks); staff may correct the wording.
    readonly_fields = [
        "idea",
        "resource",
        "amount",
        "requested_by",
        "status",
        "granted_amount",
        "decided_by",
        "decided_at",
    ]
    inlines = [ResourceRequestMessageInline]

    def has_add_permission(self, request, obj=None):
        return False


class TrainerSessionInline(admin.TabularInline):
    model = TrainerSession
    extra = 0
    fields = ["held_on", "duration_minutes", "topic", "logged_by"]
    raw_id_fields = ["logged_by"]


@admin.register(TrainerAssignment)
class TrainerAssignmentAdmin(admin.ModelAdmin):
    list_display = ["idea", "trainer", "status", "assigned_at", "ended_at"]
    list_filter = ["status", "trainer__season"]
    search_fields = ["idea__title", "trainer__user__display_name"]
    raw_id_fields = ["idea", "trainer", "requested_by", "assigned_by"]
    # Assigning and ending go through the desk (capacity is checked there).
    readonly_fields = [
        "idea",
        "trainer",
        "status",
        "requested_by",
        "assigned_by",
        "assigned_at",
        "ended_at",
    ]
    inlines = [TrainerSessionInline]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["title", "idea", "due_on", "done_at", "position"]
    search_fields = ["title", "idea__title"]
    raw_id_fields = ["idea"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["idea", "author", "milestone", "created_at"]
    search_fields = ["idea__title", "body"]
    raw_id_fields = ["idea", "milestone", "author"]


@admin.register(FinalProposal)
class FinalProposalAdmin(admin.ModelAdmin):
    """Read-only: submitting moves the idea to evaluation through the funnel."""

    list_display = ["idea", "summary", "submitted_by", "submitted_at"]
    search_fields = ["idea__title", "summary"]
    readonly_fields = ["idea", "summary", "document", "submitted_by", "submitted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ProposalExtension)
class ProposalExtensionAdmin(admin.ModelAdmin):
    list_display = ["idea", "until", "granted_by", "created_at"]
    search_fields = ["idea__title", "reason"]
    raw_id_fields = ["idea", "granted_by"]


# --- realization ---
# Read-mostly: releases, decisions and closing go through the realization
# services (and their rules), so their fields are read-only here.
from .models import InvestmentPlan, Outcome, TimeAllocation, Tranche  # noqa: E402


class TimeAllocationInline(admin.TabularInline):
    model = TimeAllocation
    extra = 0
    raw_id_fields = ["member", "manager"]
    readonly_fields = ["approved_at", "declined_at", "manager_note"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["idea", "kind", "department", "owner", "recorded_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["idea__title", "venture_name"]
    raw_id_fields = ["idea", "department", "owner", "recorded_by"]
    inlines = [TimeAllocationInline]


class TrancheInline(admin.TabularInline):
    model = Tranche
    extra = 0
    can_delete = False
    fields = ["position", "amount", "milestone", "due_on", "status", "released_at"]
    readonly_fields = ["status", "released_at"]


@admin.register(InvestmentPlan)
class InvestmentPlanAdmin(admin.ModelAdmin):
    list_display = ["idea", "currency", "status", "created_by", "created_at"]
    list_filter = ["status", "currency"]
    search_fields = ["idea__title"]
    raw_id_fields = ["idea", "created_by"]
    readonly_fields = ["status", "closed_reason"]
    inlines = [TrancheInline]


@admin.register(Tranche)
class TrancheAdmin(admin.ModelAdmin):
    list_display = ["plan", "position", "amount", "status", "released_at"]
    list_filter = ["status"]
    search_fields = ["plan__idea__title", "milestone"]
    raw_id_fields = ["plan", "review_submitted_by", "released_by"]
    readonly_fields = [
        "status",
        "review",
        "review_submitted_at",
        "review_submitted_by",
        "decision_note",
        "released_at",
        "released_by",
    ]
