"""Shared by the set-up API views: parse the input, find the person."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from horserace.accounts.models import User

from ...roles import RoleChange

API = RoleChange.Source.API


def parse(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def active_person(pk: int, field: str = "person") -> User:
    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise ValidationError({field: _("No active person has this id.")})
    return person
