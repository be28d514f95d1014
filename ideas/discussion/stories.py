"""The discussion's chapter of the idea page (``ideas.stories``).

Reading the page counts as a view of the idea for the trending mark
(``IdeaView``: one row per person and day), so the page records it here.
"""

from horserace.common.permissions import can
from ideas.discussion import selectors
from ideas.discussion.forms import CommentForm
from ideas.discussion.services import idea_view_record


def discussion_story(*, idea, user) -> dict:
    idea_view_record(idea=idea, user=user)
    moderates = can(user, "ideas.moderate_idea", idea)
    return {
        # Moderators see how many reported comments wait in their queue.
        "queue": selectors.open_report_count(user=user) if moderates else None,
        "comments": selectors.comment_list(idea=idea, user=user),
        "count": selectors.comment_count(idea=idea),
        "can_comment": can(user, "ideas.comment_idea", idea),
        "can_follow": can(user, "ideas.follow_idea", idea),
        "following": selectors.follows_idea(user=user, idea=idea),
        "followers": selectors.follower_count(idea=idea),
        "trending": selectors.idea_is_trending(idea),
        "form": CommentForm(),
    }
