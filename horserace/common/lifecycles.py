"""Lifecycles as data: a status field's allowed moves, and the one door.

A model whose status has a life of its own (a resource request, a tranche,
an invitation…) declares a ``Lifecycle`` next to it: the moves it allows,
each a name, the statuses it leaves from and the status it goes to.
``status_move`` is the only code that assigns such a status: it refuses a
move the table does not allow from the current status (a ``ValidationError``
with code ``status_move_not_allowed``), assigns the status, saves with
``update_fields`` and writes one event row, in the caller's transaction.

The door does not lock: the caller hands it an instance it has already
locked (``select_for_update``), in the lock order its service keeps, and
checks its own business rules (who may, what else must hold) before.

Each app keeps its event rows in one concrete model built on
``StatusChangeBase``; the lifecycle names it (``events``). This module
imports no app of the project.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass(frozen=True)
class Move:
    """One allowed status change: from any of ``sources`` to ``target``."""

    name: str
    sources: tuple[str, ...]
    target: str


class Lifecycle:
    """The allowed moves of one model's status field, declared as data."""

    def __init__(
        self,
        *,
        model: type[models.Model],
        events: type["StatusChangeBase"],
        moves: Iterable[Move],
        field: str = "status",
    ) -> None:
        self.model = model
        self.events = events
        self.field = field
        self.moves: dict[str, Move] = {}
        for move in moves:
            if move.name in self.moves:
                raise ValueError(f"{model.__name__}: move {move.name!r} declared twice")
            self.moves[move.name] = move
        statuses = set(self.statuses)
        for move in self.moves.values():
            unknown = {move.target, *move.sources} - statuses
            if unknown:
                raise ValueError(
                    f"{model.__name__}.{move.name}: unknown statuses {sorted(unknown)}"
                )

    def __repr__(self) -> str:
        return f"<Lifecycle {self.model.__name__}.{self.field}>"

    def _choices(self) -> list[tuple[str, str]]:
        field = self.model._meta.get_field(self.field)
        return list(getattr(field, "choices", None) or [])

    @property
    def statuses(self) -> list[str]:
        """Every value of the status field, in the order its choices give."""
        return [value for value, _label in self._choices()]

    def allows(self, move: str, source: str) -> bool:
        """May ``move`` happen from status ``source``?"""
        found = self.moves.get(move)
        return found is not None and source in found.sources

    def transitions(self) -> set[tuple[str, str, str]]:
        """Every (move, source, target) the table allows."""
        return {
            (move.name, source, move.target)
            for move in self.moves.values()
            for source in move.sources
        }

    def label(self, status: str) -> str:
        return str(dict(self._choices()).get(status, status))


class StatusChangeBase(models.Model):
    """One row for every status change: what, who, when, from, to, and why.

    An app's concrete model (``StatusChange``) keeps the rows of every
    lifecycle it declares; ``subject`` is the row whose status changed.
    """

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    move = models.CharField(gettext_lazy("move"), max_length=40)
    from_status = models.CharField(gettext_lazy("from"), max_length=20)
    to_status = models.CharField(gettext_lazy("to"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(gettext_lazy("reason"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"],
                name="%(app_label)s_statuschange_of",
            )
        ]

    def __str__(self):
        return (
            f"{self.content_type_id}/{self.object_id}: "
            f"{self.from_status} → {self.to_status} ({self.move})"
        )


def status_history(lifecycle: Lifecycle, instance: models.Model):
    """The event rows of ``instance``, oldest first."""
    return lifecycle.events._default_manager.filter(
        content_type=ContentType.objects.get_for_model(lifecycle.model),
        object_id=instance.pk,
    )


def status_move(
    lifecycle: Lifecycle,
    instance: models.Model,
    move: str,
    *,
    actor=None,
    reason: str = "",
    update_fields: Iterable[str] = (),
):
    """Perform ``move`` on ``instance`` (already locked by the caller).

    Refuses, with a ``ValidationError`` (code ``status_move_not_allowed``),
    a move the table does not allow from the instance's current status.
    Otherwise assigns the target status, saves the status together with
    ``update_fields`` (the caller's other changes, already assigned) and
    ``updated_at`` when the model has one, and writes one event row.
    Returns the event row.
    """
    if not isinstance(instance, lifecycle.model):
        raise TypeError(f"{lifecycle!r} cannot move a {type(instance).__name__}")
    if move not in lifecycle.moves:
        raise ValueError(f"{lifecycle!r} has no move {move!r}")
    source = getattr(instance, lifecycle.field)
    target = lifecycle.moves[move].target
    if not lifecycle.allows(move, source):
        raise ValidationError(
            _("This %(model)s is “%(source)s”: it cannot be moved to “%(target)s”.")
            % {
                "model": lifecycle.model._meta.verbose_name,
                "source": lifecycle.label(source),
                "target": lifecycle.label(target),
            },
            code="status_move_not_allowed",
        )
    fields = [lifecycle.field, *update_fields]
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        fields.append("updated_at")
    content_type = ContentType.objects.get_for_model(lifecycle.model)
    # The refusal above leaves the caller's transaction usable; from here on
    # the status and its event row are written together or not at all.
    with transaction.atomic(savepoint=False):
        setattr(instance, lifecycle.field, target)
        instance.save(update_fields=list(dict.fromkeys(fields)))
        return lifecycle.events._default_manager.create(
            content_type=content_type,
            object_id=instance.pk,
            move=move,
            from_status=source,
            to_status=target,
            actor=actor,
            reason=reason or "",
        )


class Lifecycles(dict[type[models.Model], Lifecycle]):
    """An app's lifecycle tables by model, with the app's one door ``move``.

    Each app keeps ``LIFECYCLES = Lifecycles(...)`` and ``move = LIFECYCLES.move``
    in its ``lifecycles.py``, so callers never pick a table by hand.
    """

    def __init__(self, *lifecycles: Lifecycle):
        super().__init__((lifecycle.model, lifecycle) for lifecycle in lifecycles)

    def move(
        self,
        instance: models.Model,
        name: str,
        *,
        actor=None,
        reason: str = "",
        update_fields: Iterable[str] = (),
    ):
        """Perform move ``name`` on a locked ``instance`` through its lifecycle."""
        return status_move(
            self[type(instance)],
            instance,
            name,
            actor=actor,
            reason=reason,
            update_fields=update_fields,
        )
