"""The discussion's writes: comments, moderation, follows and views."""

from .comments import comment_delete, comment_post
from .follows import follow_set, idea_view_record
from .moderation import comment_hide, comment_report, comment_reports_dismiss

__all__ = [
    "comment_delete",
    "comment_hide",
    "comment_post",
    "comment_report",
    "comment_reports_dismiss",
    "follow_set",
    "idea_view_record",
]
