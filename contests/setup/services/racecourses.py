"""A racecourse's settings and its challenges."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from horserace.accounts.models import User

from ...models import Challenge, Racecourse
from .common import (
    CHALLENGE_FIELDS,
    RACECOURSE_FIELDS,
    field_error,
    require_manager,
    save_validated,
)

# --- Racecourse settings ------------------------------------------------------


@transaction.atomic
def racecourse_update(
    *, racecourse: Racecourse, actor: User, changes: dict[str, Any]
) -> Racecourse:
    """Change a racecourse's name, description, audience, team size limit,
    promotion quota and evaluation settings (k, L, conflicts, blind)."""
    require_manager(actor, racecourse)
    racecourse = Racecourse.objects.select_for_update().get(pk=racecourse.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    save_validated(racecourse, changes, RACECOURSE_FIELDS)
    return racecourse


# --- Challenges ---------------------------------------------------------------


def _check_sponsor(sponsor: User | None) -> None:
    if sponsor is None or not sponsor.is_active:
        raise field_error(
            "sponsor", _("Choose an active person as the sponsor."), "sponsor"
        )


@transaction.atomic
def challenge_create(
    *,
    racecourse: Racecourse,
    actor: User,
    title: str,
    brief: str,
    sponsor: User | None,
    prize: str = "",
    is_open: bool = True,
) -> Challenge:
    require_manager(actor, racecourse)
    _check_sponsor(sponsor)
    challenge = Challenge(racecourse=racecourse)
    save_validated(
        challenge,
        {
            "title": title.strip(),
            "brief": brief.strip(),
            "sponsor": sponsor,
            "prize": prize.strip(),
            "is_open": is_open,
        },
        CHALLENGE_FIELDS,
    )
    return challenge


@transaction.atomic
def challenge_update(
    *, challenge: Challenge, actor: User, changes: dict[str, Any]
) -> Challenge:
    """Edit a challenge, or close (``is_open=False``) and reopen it."""
    require_manager(actor, challenge.racecourse)
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if "sponsor" in changes:
        _check_sponsor(changes["sponsor"])
    for name in ("title", "brief", "prize"):
        if name in changes:
            changes[name] = (changes[name] or "").strip()
    save_validated(challenge, changes, CHALLENGE_FIELDS)
    return challenge
