"""Following ideas and challenges, and the daily views of an idea."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contests.models import Challenge
from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas.discussion import events
from ideas.models import Follow, Idea, IdeaView, Stage
from ideas.services.common import require


@transaction.atomic
def follow_set(
    *,
    actor: User,
    on: bool,
    idea: Idea | None = None,
    challenge: Challenge | None = None,
) -> bool:
    """``actor`` follows (``on``) or stops following an idea or a challenge.

    Following twice, or unfollowing what one does not follow, changes
    nothing. Returns whether ``actor`` follows it now.
    """
    if (idea is None) == (challenge is None):
        raise ValueError("follow_set takes an idea or a challenge")
    target: dict[str, Any] = {"idea": idea} if idea else {"challenge": challenge}
    if idea is not None and on:
        require(actor, "ideas.follow_idea", idea, _("You cannot follow this idea."))
    if not on:
        Follow.objects.filter(user=actor, **target).delete()
        return False
    try:
        with transaction.atomic():
            Follow.objects.get_or_create(user=actor, **target)
    except IntegrityError:
        pass  # a concurrent follow of the same thing: it is followed
    return True


def idea_view_record(*, idea: Idea, user: User) -> None:
    """``user`` looked at ``idea`` today (one row a day; the rest are ignored)."""
    if not user.is_authenticated:
        return
    IdeaView.objects.bulk_create(
        [IdeaView(idea=idea, user=user, day=timezone.now().date())],
        ignore_conflicts=True,
    )


def challenge_followers_notify(idea: Idea, reason: str, actor: User | None) -> None:
    """When an idea answering a challenge is registered, the challenge's
    followers who may see it hear of it (a funnel ``ON_LEAVE`` hook of the
    draft stage: ``idea.stage`` is already the new one)."""
    if idea.stage != Stage.REGISTERED or idea.challenge_id is None:
        return
    event_send(
        events.ChallengeIdeaRegistered,
        about=idea,
        url=idea.get_absolute_url(),
        idea_id=idea.pk,
        idea=idea.title,
        challenge=str(idea.challenge),
    )
