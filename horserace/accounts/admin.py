from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Department, DirectoryImport, User


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent"]
    list_filter = ["parent"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["display_name"]
    list_display = [
        "display_name",
        "email",
        "employee_number",
        "department",
        "is_hr_admin",
        "is_mentor",
        "is_evaluator",
        "is_active",
    ]
    list_filter = [
        "is_hr_admin",
        "is_mentor",
        "is_evaluator",
        "is_active",
        "department",
    ]
    search_fields = ["display_name", "email", "employee_number"]
    autocomplete_fields = ["department", "manager"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Employee"),
            {
                "fields": [
                    "display_name",
                    "employee_number",
                    "department",
                    "manager",
                    "locale",
                    "time_zone",
                ]
            },
        ),
        (_("Roles"), {"fields": ["is_hr_admin", "is_mentor", "is_evaluator"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "display_name", "password1", "password2"],
            },
        )
    ]


@admin.register(DirectoryImport)
class DirectoryImportAdmin(admin.ModelAdmin):
    """Raw data only: HR imports at /directory/imports/."""

    list_display = ["created_at", "started_by", "status", "total", "error_count"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in DirectoryImport._meta.fields]

    def has_add_permission(self, request):
        return False
