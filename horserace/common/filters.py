"""django-filter filters shared by every app's list APIs."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field

from .api import MAX_ID


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """Rows whose foreign key is this id: a whole number from 1 to ``MAX_ID``.

    ``NumberFilter`` takes any decimal, and ``idea_id=1e30`` is an
    OverflowError on SQLite (Django guards primary-key lookups only): here a
    number out of range, a fraction or an exponent is a 400 before any query.
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
