from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "recipient", "created_at", "read_at"]
    list_filter = ["read_at", "kind"]
    search_fields = ["kind", "stored_subject", "recipient__email"]
    raw_id_fields = ["recipient"]
