"""Milestones and progress updates of a team in gestation."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from horserace.accounts.models import User
from horserace.notifications.services import event_send
from ideas.gestation import events
from ideas.gestation.services.helpers import field_error, required_text, workspace_url
from ideas.models import Idea, Milestone, ProgressUpdate
from ideas.services.common import lock_idea, require


@transaction.atomic
def milestone_create(
    *,
    idea: Idea,
    actor: User,
    title: str,
    description: str = "",
    due_on: date | None = None,
) -> Milestone:
    """The captain sets a milestone; it goes after the existing ones."""
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.set_milestones",
        idea,
        _("Only the captain of a team in gestation sets its milestones."),
    )
    title = required_text(title, "title", _("Give the milestone a title."))
    last = idea.milestones.aggregate(last=Max("position"))["last"]
    return Milestone.objects.create(
        idea=idea,
        title=title[:200],
        description=(description or "").strip(),
        due_on=due_on,
        position=0 if last is None else last + 1,
    )


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User) -> None:
    """The captain removes a milestone; updates about it stay, unlinked."""
    idea = lock_idea(milestone.idea)
    require(
        actor,
        "ideas.set_milestones",
        idea,
        _("Only the captain of a team in gestation sets its milestones."),
    )
    milestone.delete()


@transaction.atomic
def milestone_set_done(
    *, milestone: Milestone, actor: User, done: bool = True
) -> Milestone:
    """A team member marks a milestone done (or not done after all)."""
    idea = lock_idea(milestone.idea)
    require(
        actor,
        "ideas.post_progress",
        idea,
        _("Only the team can mark its milestones, while it is in gestation."),
    )
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if done and milestone.done_at is None:
        milestone.done_at = timezone.now()
    elif not done:
        milestone.done_at = None
    milestone.save(update_fields=["done_at", "updated_at"])
    return milestone


@transaction.atomic
def progress_update_post(
    *,
    idea: Idea,
    actor: User,
    body: str,
    milestone: Milestone | None = None,
    milestone_done: bool = False,
) -> ProgressUpdate:
    """A team member posts an update, optionally about (and finishing) a milestone.

    The team's trainer hears about it.
    """
    idea = lock_idea(idea)
    require(
        actor,
        "ideas.post_progress",
        idea,
        _("Only the team can post updates, while it is in gestation."),
    )
    body = required_text(body, "body", _("Write what happened."))
    if milestone is not None and milestone.idea_id != idea.pk:
        raise field_error(
            "milestone", _("This milestone belongs to another team."), "other_team"
        )
    update = ProgressUpdate.objects.create(
        idea=idea, milestone=milestone, author=actor, body=body
    )
    if milestone is not None and milestone_done and milestone.done_at is None:
        Milestone.objects.filter(pk=milestone.pk).update(
            done_at=timezone.now(), updated_at=timezone.now()
        )
        milestone.refresh_from_db(fields=["done_at", "updated_at"])
    event_send(
        events.ProgressPosted,
        about=update,
        url=workspace_url(idea),
        update=update.pk,
        idea=idea.title,
        text=body,
    )
    return update
