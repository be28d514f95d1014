"""Who may do what in an idea's discussion.

Predicates on an idea take ``(user, idea)``; those on a comment take
``(user, comment)``. Reading a discussion is reading the idea's content
(``ideas.read_content``): comments are the idea's content, so a confidential
idea's comments are read only by those who may read its body.
"""

import rules

from horserace.accounts.rules import is_hr_admin
from ideas.models import Stage
from ideas.visibility import (
    can_read_content,
    can_view_idea,
    is_draft,
    is_idea_racecourse_admin,
    is_team_member,
)

# Withdrawn and merged ideas keep their discussion, read-only.
READ_ONLY_STAGES = {Stage.WITHDRAWN, Stage.MERGED}


@rules.predicate
def is_open_for_talk(user, idea) -> bool:
    return idea.stage not in READ_ONLY_STAGES


# Drafts: only their own team talks about them.
can_comment = can_read_content & is_open_for_talk & (~is_draft | is_team_member)
can_follow_idea = can_view_idea & ~is_draft
can_moderate_idea = (is_hr_admin | is_idea_racecourse_admin) & can_read_content


@rules.predicate
def is_comment_author(user, comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


@rules.predicate
def comment_is_live(user, comment) -> bool:
    return comment.hidden_at is None and comment.deleted_at is None


@rules.predicate
def reads_comment(user, comment) -> bool:
    return can_read_content(user, comment.idea)


@rules.predicate
def moderates_comment(user, comment) -> bool:
    return can_moderate_idea(user, comment.idea)


rules.add_perm("ideas.comment_idea", can_comment)
rules.add_perm("ideas.follow_idea", can_follow_idea)
rules.add_perm("ideas.moderate_idea", can_moderate_idea)
rules.add_perm(
    "ideas.report_comment", reads_comment & comment_is_live & ~is_comment_author
)
rules.add_perm("ideas.delete_comment", is_comment_author & comment_is_live)
rules.add_perm("ideas.hide_comment", moderates_comment & comment_is_live)
