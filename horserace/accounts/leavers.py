"""A person leaves the company: the one door for deactivating an account.

``person_leave`` is how the directory import, SCIM provisioning or an HR
admin turns a person off. It never deletes anything: their ideas, ballots,
scorecards and history stay on record. It hands what the person held to
someone else first, then deactivates the account and revokes its API tokens,
and returns what was handed over so the caller can report it.

accounts is the ground floor and knows nothing of teams or approvals; each
floor above registers a handler here from its ``AppConfig.ready`` (ideas:
captaincies, join requests, resource questions, trainer assignments, time
allocations awaiting the person's approval). A handler is called as
``handler(user=..., actor=..., successor=...)`` inside the leave's
transaction, with the person's row locked and still active, and returns the
``Handover`` rows it made.
"""

from collections.abc import Callable
from dataclasses import asdict, dataclass

from django.db import transaction
from knox.models import AuthToken

from .models import User


@dataclass(frozen=True)
class Handover:
    """One thing a leaver held and who holds it now.

    ``kind`` names it for machines (``captaincy``, ``join_request``,
    ``reports``…); ``subject`` is a short human label (an idea's title, a
    person's name); ``to_user_id`` is None when it was closed instead
    (an invitation to the leaver is cancelled) or nobody could take it.
    """

    kind: str
    subject: str
    object_id: int
    from_user_id: int
    to_user_id: int | None
    to_name: str = ""
    note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


Handler = Callable[..., list[Handover]]
_handlers: list[Handler] = []


def register(handler: Handler) -> Handler:
    """Add a handler (once; registering the same one again does nothing)."""
    if handler not in _handlers:
        _handlers.append(handler)
    return handler


def handlers() -> list[Handler]:
    return list(_handlers)


def successor_for(user: User, successor: User | None = None) -> User | None:
    """Who takes over by default: the one named, else the leaver's manager,
    when that person is active and not the leaver."""
    for candidate in (successor, user.manager):
        if candidate is not None and candidate.is_active and candidate.pk != user.pk:
            return candidate
    return None


def _hand_over_reports(*, user: User, successor: User | None) -> list[Handover]:
    """The leaver's direct reports report to the successor from now on."""
    reports = list(User.objects.filter(manager=user, is_active=True).order_by("pk"))
    if not reports:
        return []
    target = successor.pk if successor else None
    User.objects.filter(pk__in=[r.pk for r in reports]).update(manager_id=target)
    return [
        Handover(
            kind="reports",
            subject=str(r),
            object_id=r.pk,
            from_user_id=user.pk,
            to_user_id=target,
            to_name=str(successor) if successor else "",
        )
        for r in reports
    ]


@transaction.atomic
def person_leave(
    *, user: User, actor: User | None, successor: User | None = None
) -> list[Handover]:
    """Deactivate ``user`` and hand what they held to someone else.

    ``successor`` takes what the registered handlers cannot give to someone
    closer (a team's captaincy goes to another active member first); with
    none named, the leaver's manager. Does nothing for a person already
    inactive, so running it again is safe.
    """
    user = (
        User.objects.select_for_update(of=("self",))
        .select_related("manager")
        .get(pk=user.pk)
    )
    if not user.is_active:
        return []
    successor = successor_for(user, successor)
    done: list[Handover] = []
    for handler in _handlers:
        done.extend(handler(user=user, actor=actor, successor=successor))
    done.extend(_hand_over_reports(user=user, successor=successor))
    user.is_active = False
    user.save(update_fields=["is_active"])
    AuthToken.objects.filter(user=user).delete()
    return done
