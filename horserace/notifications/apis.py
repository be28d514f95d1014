"""The notifications API: your inbox, its unread count, marking read, and how
you receive each kind. Only ever the signed-in person's own: another's
notification is a 404, as if it did not exist."""

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses

from . import events, selectors
from .models import Notification
from .services import notification_mark_read, preferences_set


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(
        help_text="The event's kind, e.g. `ideas.team.invited`."
    )
    subject = serializers.CharField(help_text="In your language.")
    body = serializers.CharField(allow_blank=True)
    url = serializers.SerializerMethodField(
        help_text="The page it is about (a path on this site), or empty."
    )
    unread = serializers.SerializerMethodField()
    read_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    channel = serializers.ChoiceField(
        choices=events.Channel.choices,
        help_text="How it reached you besides the inbox.",
    )

    def get_url(self, note) -> str:
        return selectors.safe_url(note.url)

    def get_unread(self, note) -> bool:
        return note.read_at is None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(min_value=0)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(
        min_value=0, help_text="How many were unread and are now read."
    )


class NotificationPreferenceOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    # "label" is also a Field attribute: only mypy minds (see the directory's).
    label = serializers.CharField(  # type: ignore[assignment]
        help_text="The kind's name, in your language."
    )
    area = serializers.CharField(help_text="The group it belongs to.")
    area_label = serializers.CharField()
    channel = serializers.ChoiceField(choices=events.Channel.choices)
    default = serializers.ChoiceField(
        choices=events.Channel.choices, help_text="The channel if you choose none."
    )


class NotificationPreferenceInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=100)
    channel = serializers.ChoiceField(choices=events.Channel.choices)

    def validate_kind(self, kind):
        if kind not in events.registered():
            raise serializers.ValidationError(_("No notification of this kind."))
        return kind


class NotificationFilter(django_filters.FilterSet):
    # A choice, not a BooleanFilter: that one reads "maybe" as "no filter".
    unread = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_unread",
        help_text="`true`: only the unread ones; `false`: only the read ones.",
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value == "true")


@extend_schema(tags=["notifications"])
class NotificationListApi(ListAPIView):
    """Your notifications, newest first; `?unread=true` for the unread only."""

    serializer_class = NotificationOutputSerializer
    filterset_class = NotificationFilter
    queryset = Notification.objects.none()  # for the schema; the real one:

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    @extend_schema(
        operation_id="notifications_list",
        responses={
            200: NotificationOutputSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["notifications"])
class UnreadCountApi(APIView):
    """How many of your notifications are unread (the bell's badge)."""

    @extend_schema(
        operation_id="notifications_unread_count",
        responses={200: UnreadCountSerializer, **error_responses(401)},
    )
    def get(self, request):
        return Response(
            {"unread": selectors.notification_unread_count(user=request.user)}
        )


@extend_schema(tags=["notifications"])
class NotificationReadApi(APIView):
    """Mark one of your notifications read (again: no change)."""

    @extend_schema(
        operation_id="notifications_read",
        request=None,
        responses={200: NotificationOutputSerializer, **error_responses(401, 404)},
    )
    def post(self, request, pk: int):
        note = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
        notification_mark_read(user=request.user, notification_id=note.pk)
        note.refresh_from_db()
        return Response(NotificationOutputSerializer(note).data)


@extend_schema(tags=["notifications"])
class NotificationReadAllApi(APIView):
    """Mark all your notifications read."""

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses={200: MarkedSerializer, **error_responses(401)},
    )
    def post(self, request):
        return Response({"marked": notification_mark_read(user=request.user)})


@extend_schema(tags=["notifications"])
class PreferenceApi(APIView):
    """How you receive each kind of notification, besides the inbox.

    `PATCH` changes the kinds you send; `PUT` sets the kinds you send and
    puts every other kind back to its default. The body is a list of
    `{kind, channel}`; an unknown kind or channel is a 400 and changes nothing.
    """

    def _rows(self, request):
        return Response(
            NotificationPreferenceOutputSerializer(
                selectors.preference_list(user=request.user), many=True
            ).data
        )

    def _write(self, request, *, reset_others: bool):
        if not isinstance(request.data, list):
            raise ValidationError(
                {"non_field_errors": [_("Send a list of {kind, channel}.")]}
            )
        serializer = NotificationPreferenceInputSerializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        preferences_set(
            user=request.user,
            choices={row["kind"]: row["channel"] for row in serializer.validated_data},
            reset_others=reset_others,
        )
        return self._rows(request)

    @extend_schema(
        operation_id="notifications_preferences_list",
        responses={
            200: NotificationPreferenceOutputSerializer(many=True),
            **error_responses(401),
        },
    )
    def get(self, request):
        return self._rows(request)

    @extend_schema(
        operation_id="notifications_preferences_replace",
        request=NotificationPreferenceInputSerializer(many=True),
        responses={
            200: NotificationPreferenceOutputSerializer(many=True),
            **error_responses(400, 401, 415),
        },
    )
    def put(self, request):
        return self._write(request, reset_others=True)

    @extend_schema(
        operation_id="notifications_preferences_update",
        request=NotificationPreferenceInputSerializer(many=True),
        responses={
            200: NotificationPreferenceOutputSerializer(many=True),
            **error_responses(400, 401, 415),
        },
    )
    def patch(self, request):
        return self._write(request, reset_others=False)
