"""Shared model bases."""

from django.db import models


class TimeStampedModel(models.Model):
    """Every domain row knows when it was made and last changed."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
