"""Notifications as named events: the registry and the ``Event`` base.

A notification is an event of a *kind* ("ideas.team.invited") with plain JSON
*parameters* (ids, strings, numbers). The row stores the kind and the
parameters; the text is rendered from them in the language of whoever reads
it, when they read it (the list page, an e-mail at send time).

Each area declares its events in one module next to it (``ideas/events.py``,
``voting/evaluation/events.py``...), imported by its ``AppConfig.ready``; an
event class says who it is for (its docstring), what it takes and how it
reads, and the name its area goes by on the preferences page::

    register_area("ideas.team", _("Teams"))

    @register
    class TeamInvited(Event):
        kind = "ideas.team.invited"
        label = _("An invitation to join a team")
        params = ("invitation", "who", "idea", "message")
        key = ("invitation",)
        subject = _("{who} invites you to join the team of “{idea}”")
        body = "{message}"

        @classmethod
        def recipients(cls, invitation):
            return [invitation.invitee]

The service that makes it happen says what it is about and the params,
``event_send(TeamInvited, about=invitation, url=..., **params)``
(``horserace.notifications.services``); it never picks the people: the event
does, from ``about``. Reading an area's events module tells, for every kind,
who is told, of what, and how it reads.

This module is on the ground floor: it imports no app.
"""

import uuid
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

_REGISTRY: dict[str, type["Event"]] = {}
_AREAS: dict[str, Any] = {}

# What a parameter may hold: JSON's scalars, or lists of them.
_PLAIN = (str, int, float, bool, type(None))


class Channel(models.TextChoices):
    """How a reader receives one kind of notification. The inbox always has it."""

    IN_APP = "in_app", _("In the app only")
    EMAIL = "email", _("E-mail at once")
    DAILY = "daily", _("Daily digest")
    WEEKLY = "weekly", _("Weekly digest")


#: The channels that end in an e-mail, and the digests among them.
DIGESTS = (Channel.DAILY, Channel.WEEKLY)


class UnknownEvent(LookupError):
    """No event of this kind is registered."""


class EventParamsError(ValueError):
    """An event was sent with missing, unknown or non-JSON parameters."""


class Event:
    """One kind of notification. Subclass, fill in, and ``register``.

    - ``kind``: the stored name, ``<area>.<thing>.<what happened>``; never
      rename one that has been sent (old rows are rendered by it).
    - ``params``: the names the event takes, all required.
    - ``key``: the params that identify one occurrence (e.g. the transition's
      id): the row's key is the kind and their values, unique per recipient,
      so sending the same occurrence again (a retried task) writes and mails
      nothing. An empty ``key`` means every send is a new occurrence.
    - ``recipients(about)``: who is told, from the thing the event is about
      (an invitation, a transition, a comment...); every event says (a kind
      without it is refused by ``register``). ``ToPeople`` is for events
      whose people are the occurrence's own data (a reminder's per-person
      count): their ``about`` is the people.
    - ``content``: the params that carry an idea's content; a recipient who
      may not read it (``may_read_content(user, about)``, everyone by
      default) is sent them blank (``withheld``): the subject and the link.
    - ``params_for(user, about, params)``: what one recipient is sent; by
      default ``params``, or ``withheld(params)`` as above.
    - ``subject`` and ``body``: lazy translations (or plain templates such as
      ``"{message}"``) formatted with ``context(params)``.
    - ``email``: whether the event is mailed by default (at once).
    - ``default_channel``: how a reader who chose nothing receives it; by
      default an e-mail at once when ``email`` is set, else the inbox only.
    - ``label``: what the preferences page calls the kind ("An invitation to
      a team"); without one, a label made from the kind's last word.
    - ``area``: the group it is listed under on the preferences page; by
      default the kind's first words (``ideas.team``), named by
      ``register_area`` in the area's events module.
    """

    kind: ClassVar[str] = ""
    params: ClassVar[tuple[str, ...]] = ()
    key: ClassVar[tuple[str, ...]] = ()
    content: ClassVar[tuple[str, ...]] = ()
    subject: ClassVar[Any] = ""
    body: ClassVar[Any] = ""
    email: ClassVar[bool] = True
    default_channel: ClassVar[str] = ""
    label: ClassVar[Any] = ""
    area: ClassVar[str] = ""
    # Example parameters, for the test that renders every registered event.
    example: ClassVar[Mapping[str, Any]] = {}

    @classmethod
    def recipients(cls, about: Any) -> Iterable[Any]:
        """The people told that this happened to ``about``. Override."""
        raise NotImplementedError(f"{cls.kind or cls.__name__} says for nobody.")

    @classmethod
    def may_read_content(cls, user: Any, about: Any) -> bool:
        """Whether ``user`` may be sent the ``content`` params. Override."""
        return True

    @classmethod
    def params_for(
        cls, user: Any, about: Any, params: Mapping[str, Any]
    ) -> dict[str, Any]:
        """What ``user`` is sent: the content blanked for whoever may not
        read it (when there is content to blank)."""
        has_content = any(params.get(name) for name in cls.content)
        if has_content and not cls.may_read_content(user, about):
            return cls.withheld(params)
        return dict(params)

    @classmethod
    def context(cls, params: Mapping[str, Any]) -> dict[str, Any]:
        """The values the templates are formatted with, in the active language.

        Override to turn a stored code into its label (a stage, an outcome).
        """
        return dict(params)

    @classmethod
    def channel(cls) -> str:
        """The channel a reader gets when they chose none."""
        if cls.default_channel:
            return Channel(cls.default_channel).value
        return Channel.EMAIL.value if cls.email else Channel.IN_APP.value

    @classmethod
    def get_label(cls) -> str:
        """The kind's name for people, in the active language."""
        if cls.label:
            return str(cls.label)
        last = cls.kind.rsplit(".", 1)[-1].replace("_", " ").strip()
        return last[:1].upper() + last[1:] if last else cls.kind

    @classmethod
    def get_area(cls) -> str:
        """The group's code: ``area``, else the kind without its last word."""
        if cls.area:
            return cls.area
        parts = cls.kind.split(".")
        return ".".join(parts[:2]) if len(parts) > 2 else parts[0]

    @classmethod
    def render_subject(cls, params: Mapping[str, Any]) -> str:
        return str(cls.subject).format(**cls.context(params))

    @classmethod
    def render_body(cls, params: Mapping[str, Any]) -> str:
        if not cls.body:
            return ""
        return str(cls.body).format(**cls.context(params))

    @classmethod
    def render(
        cls, params: Mapping[str, Any], language: str | None = None
    ) -> tuple[str, str]:
        """``(subject, body)`` in ``language`` (default: the active one)."""
        if language is None:
            return cls.render_subject(params), cls.render_body(params)
        with translation.override(language):
            return cls.render_subject(params), cls.render_body(params)

    @classmethod
    def make_key(cls, params: Mapping[str, Any]) -> str:
        if not cls.key:
            return f"{cls.kind}:{uuid.uuid4().hex}"
        return ":".join([cls.kind, *(str(params[name]) for name in cls.key)])

    @classmethod
    def withheld(cls, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` with the content blanked, for who may not read it."""
        return {k: ("" if k in cls.content else v) for k, v in params.items()}


class ToPeople(Event):
    """An event whose people are the occurrence's own data (a reminder with
    each person's count, a test's ping): ``about`` is the people."""

    @classmethod
    def recipients(cls, about: Iterable[Any]) -> Iterable[Any]:
        return list(about)


def declares_recipients(event: type[Event]) -> bool:
    """Whether ``event`` says who it is for (overrides ``recipients``)."""
    return any("recipients" in vars(k) for k in event.__mro__ if k is not Event)


def register(event: type[Event]) -> type[Event]:
    """Declare an event kind (a class decorator). A kind is registered once."""
    if not event.kind:
        raise ValueError(f"{event.__name__} has no kind.")
    missing = [n for n in (*event.key, *event.content) if n not in event.params]
    if missing:
        raise ValueError(f"{event.kind}: key/content names {missing} are not params.")
    known = _REGISTRY.get(event.kind)
    if known is not None and known is not event:
        if f"{known.__module__}.{known.__qualname__}" != (
            f"{event.__module__}.{event.__qualname__}"
        ):
            raise ValueError(f"The event kind {event.kind!r} is already registered.")
    if not declares_recipients(event):
        raise ValueError(f"{event.kind}: say who it is for (``recipients``).")
    _REGISTRY[event.kind] = event
    return event


def register_area(area: str, label: Any) -> None:
    """Name an area (``ideas.team``) for the preferences page: ``label`` is a
    lazy translation. Declared next to the area's events."""
    _AREAS[area] = label


def area_label(area: str) -> str:
    """An area's name for people: its declared one, else its code made readable."""
    known = _AREAS.get(area)
    if known is not None:
        return str(known)
    words = area.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def get(kind: str) -> type[Event]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise UnknownEvent(f"No notification event of kind {kind!r}.") from None


def registered() -> dict[str, type[Event]]:
    """Every registered kind and its event, by kind."""
    return dict(sorted(_REGISTRY.items()))


def _plain(value) -> bool:
    if isinstance(value, list | tuple):
        return all(isinstance(v, _PLAIN) for v in value)
    return isinstance(value, _PLAIN)


def validate(kind: str, params: Mapping[str, Any]) -> type[Event]:
    """The registered event of ``kind``, once ``params`` fit it exactly.

    Raises ``UnknownEvent`` for a kind nobody declared and
    ``EventParamsError`` for missing or unknown names, or a value that is not
    plain JSON (a lazy string, a model instance, a Decimal...).
    """
    event = get(kind)
    missing = [n for n in event.params if n not in params]
    unknown = [n for n in params if n not in event.params]
    if missing or unknown:
        raise EventParamsError(
            f"{kind}: missing params {missing}, unknown params {unknown}."
        )
    impure = [n for n, v in params.items() if not _plain(v)]
    if impure:
        raise EventParamsError(f"{kind}: params {impure} are not plain JSON.")
    return event
