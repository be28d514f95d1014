from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["subject", "recipient__email"]
    raw_id_fields = ["recipient"]
