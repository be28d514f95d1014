"""Registering an idea's name: a numbered, fingerprinted claim of authorship."""

import hashlib
import json

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from contests.models import Season
from horserace.accounts.models import User

from .. import funnel
from ..models import Idea, Registration
from .common import require
from .rounds import idea_screening_join


def content_fingerprint(content: dict) -> str:
    """SHA-256 of the content as canonical JSON (sorted keys, UTF-8, no spaces).

    Anyone holding the registered text can recompute it:
    ``sha256(json.dumps(content, sort_keys=True, ensure_ascii=False,
    separators=(",", ":")).encode())``.
    """
    canonical = json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@transaction.atomic
def idea_register(*, idea: Idea, actor: User) -> Registration:
    """Register a draft idea inside its racecourse's registration window.

    Gives it the season's next registration number. Registering twice returns
    the first registration unchanged. When the racecourse's online screening
    is open (on the farm: its round takes entries), the idea joins it at once
    (rolling entry, ``ideas.services.rounds``); otherwise it waits for the
    registration window's close, as before.
    """
    from .ideas import idea_content

    caller_idea = idea
    idea = (
        Idea.objects.select_for_update()
        .select_related("racecourse__season")
        .get(pk=idea.pk)
    )
    existing = Registration.objects.filter(idea=idea).first()
    if existing is not None:
        return existing
    require(actor, "ideas.register_idea", idea)
    funnel.idea_register(idea=idea, actor=actor)
    caller_idea.refresh_from_db(fields=["stage"])  # current, as the funnel keeps it

    # The season row is the lock that serialises number allocation.
    season = Season.objects.select_for_update().get(pk=idea.racecourse.season_id)
    last = Registration.objects.filter(season=season).aggregate(n=Max("number"))["n"]
    content = idea_content(idea)
    registration = Registration.objects.create(
        idea=idea,
        season=season,
        number=(last or 0) + 1,
        registered_at=timezone.now(),
        registered_by=actor,
        fingerprint=content_fingerprint(content),
        content=content,
    )
    if idea_screening_join(idea=idea, actor=actor):
        caller_idea.refresh_from_db(fields=["stage"])
    return registration
