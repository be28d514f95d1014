"""Template helpers of the discussion: the trending mark and challenge follows."""

from django import template

register = template.Library()


@register.simple_tag
def trending_ids(ideas) -> set[int]:
    """``{% trending_ids page.object_list as trending %}``: one query a page."""
    from ideas.discussion.selectors import trending_idea_ids

    return trending_idea_ids([getattr(i, "pk", None) for i in ideas])


@register.simple_tag(takes_context=True)
def follows_challenge(context, challenge) -> bool:
    """Whether the viewer follows ``challenge`` (one query a page)."""
    from ideas.discussion.selectors import followed_challenge_ids

    request = context.get("request")
    if request is None:
        return False
    ids = getattr(request, "_followed_challenge_ids", None)
    if ids is None:
        ids = request._followed_challenge_ids = followed_challenge_ids(
            user=request.user
        )
    return challenge.pk in ids
