"""API for accounts: token login and logout, the current user, the directory.

Also holds the short user representation other payloads nest.
"""

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from knox.views import LoginView as KnoxLoginView
from knox.views import LogoutAllView as KnoxLogoutAllView
from knox.views import LogoutView as KnoxLogoutView
from rest_framework import exceptions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from horserace.common.api import error_responses

from .authentication import TokenAuthentication
from .models import User


class UserBriefSerializer(serializers.Serializer):
    """A person as other payloads mention them."""

    id = serializers.IntegerField()
    display_name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    display_name = serializers.CharField()
    department = serializers.CharField(source="department.name", allow_null=True)
    department_id = serializers.IntegerField(
        allow_null=True, help_text="See /api/v1/departments/{id}/."
    )
    locale = serializers.CharField()
    time_zone = serializers.CharField()
    is_hr_admin = serializers.BooleanField()
    is_mentor = serializers.BooleanField()
    is_evaluator = serializers.BooleanField()


class LoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(
        trim_whitespace=False, style={"input_type": "password"}
    )


class LoginOutputSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(
        allow_null=True, help_text="Extended on every use, up to the token lifetime."
    )
    user = MeSerializer()


class LoginApi(KnoxLoginView):
    """Exchange an e-mail address and password for an API token."""

    # No session or token is needed to log in, and no CSRF token either.
    authentication_classes = ()
    permission_classes = (AllowAny,)

    def get_user_serializer_class(self):
        return MeSerializer

    @extend_schema(
        operation_id="auth_login",
        request=LoginInputSerializer,
        responses={200: LoginOutputSerializer, **error_responses(400, 429)},
        auth=[],
    )
    def post(self, request, format=None):
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Axes watches failed logins through the request it is given.
        user = authenticate(request=request, **serializer.validated_data)
        if user is None and getattr(request, "axes_locked_out", False):
            raise exceptions.Throttled(
                detail=_("Too many failed login attempts. Try again later.")
            )
        if user is None:
            raise exceptions.ValidationError(
                _("Unable to log in with this e-mail address and password."),
                code="authorization",
            )
        request.user = user
        return super().post(request, format=format)


class LogoutApi(KnoxLogoutView):
    authentication_classes = [TokenAuthentication]
    """Revoke the token this request was made with."""

    @extend_schema(
        operation_id="auth_logout",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def post(self, request, format=None):
        return super().post(request, format=format)


class LogoutAllApi(KnoxLogoutAllView):
    authentication_classes = [TokenAuthentication]
    """Revoke every token of the current user."""

    @extend_schema(
        operation_id="auth_logoutall",
        request=None,
        responses={204: None, **error_responses(401)},
    )
    def post(self, request, format=None):
        return super().post(request, format=format)


class MeApi(APIView):
    """The logged-in user."""

    @extend_schema(
        operation_id="auth_me", responses={200: MeSerializer, **error_responses(401)}
    )
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class DirectoryUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    department = serializers.CharField(source="department.name", allow_null=True)
    department_id = serializers.IntegerField(
        allow_null=True, help_text="See /api/v1/departments/{id}/."
    )


class UserListApi(ListAPIView):
    """The company directory, so a client can find a colleague to invite."""

    serializer_class = DirectoryUserSerializer
    filterset_fields = ["department"]
    search_fields = ["display_name", "email", "employee_number"]
    ordering_fields = ["display_name", "email"]
    ordering = ["display_name", "pk"]

    def get_queryset(self):
        return User.objects.filter(is_active=True).select_related("department")

    @extend_schema(
        operation_id="users_list",
        responses={
            200: DirectoryUserSerializer(many=True),
            **error_responses(400, 401),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
