"""Shared by the discussion's services: checks and a comment's address."""

from django.core.exceptions import ValidationError

from ideas.models import Comment


def field_error(field: str, message, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def comment_url(comment: Comment) -> str:
    return f"{comment.idea.get_absolute_url()}#comment-{comment.pk}"
