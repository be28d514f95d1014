"""Creating, editing and withdrawing ideas."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contests.models import Challenge, Racecourse, Season
from horserace.accounts.models import User

from .. import funnel
from ..models import Idea, TeamMembership, Visibility
from .common import require
from .teams import check_team_limit_per_person

EDITABLE_FIELDS = (
    "title",
    "pitch",
    "problem",
    "proposal",
    "challenge",
    "visibility",
    "anonymous",
)


def idea_content(idea: Idea) -> dict:
    """What a registration fingerprints: the idea's own words."""
    return {
        "title": idea.title,
        "pitch": idea.pitch,
        "problem": idea.problem,
        "proposal": idea.proposal,
    }


def _check_challenge(racecourse: Racecourse, challenge: Challenge | None) -> None:
    if challenge is None:
        return
    if challenge.racecourse_id != racecourse.pk:
        raise ValidationError(
            {"challenge": _("This challenge belongs to another racecourse.")}
        )
    if not challenge.is_open:
        raise ValidationError({"challenge": _("This challenge no longer takes ideas.")})


def _check_text(fields: dict) -> None:
    errors = {}
    for name in ("title", "pitch", "problem", "proposal"):
        if name in fields and not (fields[name] or "").strip():
            errors[name] = _("This field is required.")
    if "visibility" in fields and fields["visibility"] not in Visibility.values:
        errors["visibility"] = _("Choose a valid visibility.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def idea_create(
    *,
    author,
    racecourse: Racecourse,
    title: str,
    pitch: str,
    problem: str,
    proposal: str,
    challenge: Challenge | None = None,
    visibility: str = Visibility.EVERYONE,
    anonymous: bool = False,
) -> Idea:
    """A new idea in draft, with its author as team captain."""
    require(author, "ideas.add_idea")
    # The farm lives on across seasons: it takes ideas whatever its season's status.
    if racecourse.season.status == Season.Status.CLOSED and not racecourse.is_farm:
        raise ValidationError({"racecourse": _("This season is closed.")})
    fields = dict(title=title, pitch=pitch, problem=problem, proposal=proposal)
    _check_text({**fields, "visibility": visibility})
    _check_challenge(racecourse, challenge)
    check_team_limit_per_person(user=author, season=racecourse.season)
    idea = Idea(
        author=author,
        racecourse=racecourse,
        challenge=challenge,
        visibility=visibility,
        anonymous=anonymous,
        **{k: v.strip() for k, v in fields.items()},
    )
    idea.full_clean(exclude=["stage"])
    idea._change_reason = "created"
    idea.save()
    TeamMembership.objects.create(
        idea=idea, user=author, role=TeamMembership.Role.CAPTAIN
    )
    return idea


@transaction.atomic
def idea_update(*, idea: Idea, actor: User, **changes) -> Idea:
    """Edit an idea's content. Its registration fingerprint never changes."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    idea = Idea.objects.select_for_update().select_related("racecourse").get(pk=idea.pk)
    require(actor, "ideas.change_idea", idea)
    _check_text(changes)
    # A challenge that closed since the idea answered it stays valid; only a
    # newly chosen challenge must be open.
    if "challenge" in changes and changes["challenge"] != idea.challenge:
        _check_challenge(idea.racecourse, changes["challenge"])
    changed = []
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        if getattr(idea, name) != value:
            setattr(idea, name, value)
            changed.append(name)
    if changed:
        idea.full_clean(exclude=["stage"])
        idea._change_reason = "edited: " + ", ".join(changed)
        idea._history_user = actor
        idea.save()
    return idea


@transaction.atomic
def idea_withdraw(*, idea: Idea, actor: User, reason: str = "") -> Idea:
    """The captain takes the idea out of the race (before a final stage)."""
    require(actor, "ideas.withdraw_idea", idea)
    return funnel.idea_withdraw(idea=idea, actor=actor, reason=reason)
