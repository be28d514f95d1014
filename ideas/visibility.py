"""The one decision of who may see what of an idea.

Every page, API field, export, notification, history entry, search result
and download asks here; nothing else decides. Three questions, from least to
most sensitive (DESIGN.md: "seeing more sensitive data needs more
permission"):

``ideas.view_idea``: may the user know the idea exists?
    Its title, registration code, stage and racecourse. A draft: its team, a
    pending invitee and HR. Otherwise by level:

    * *everyone*: every logged-in employee;
    * *racecourse*: the racecourse's audience (its department and those
      below it) and the racecourse's admins;
    * *confidential*: HR and the admins of its racecourse (to run the race,
      not to read it: see the next question).

    Whatever the level: the team, its trainer (now or before) and anyone a
    higher app registers as a reader (``reader_register``: voting registers
    the evaluators assigned to the project and not conflicted with it).

``ideas.read_content``: may the user read the idea's body?
    Pitch, problem, description, attachments, progress, the proposal and its
    files. Anyone who may view a non-confidential idea. A confidential one:
    its team, its trainer, a pending invitee and the registered readers, and
    HR or the admins of its racecourse only after they *open* it with a
    reason, which writes an ``IdeaAccess`` row (the access log).

``ideas.see_team``: may the user see who is behind it?
    Names, e-mails and departments of the author and the team, the actors of
    its history, update authors, the proposal's submitter. Whoever reads the
    content, except that an *anonymous* idea shows its people only to the
    team and its trainer, and to HR or its racecourse's admins after they
    *unmask* it with a reason (an access-log row); and blind evaluation hides
    them from the racecourse's evaluators.

The rules below answer for one idea; ``visible_q`` and ``content_q`` are the
same answers as queryset filters, and ``Viewer`` answers a whole page at
once. Tests check that the three forms agree, and a generated leak matrix
(``tests/leaks``) checks every route against this policy.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

import rules
from django.db.models import Q
from django.utils import timezone

from contests.models import Racecourse
from contests.rules import is_racecourse_admin
from horserace.accounts.rules import is_hr_admin

from .models import (
    IdeaAccess,
    RequestStatus,
    Stage,
    TeamMembership,
    Visibility,
)

# --- who the user is to the idea ------------------------------------------------


def _membership(user, idea) -> str | None:
    """The user's role on the idea's team, or None.

    Uses prefetched ``memberships``, or the ``viewer_membership`` a selector
    annotated, when the caller loaded them, so hot paths ask nothing more.
    """
    if not user.is_authenticated or idea is None or idea.pk is None:
        return None
    viewer = getattr(idea, "viewer_membership", None)  # (user id, role) if loaded
    if viewer is not None and viewer[0] == user.pk:
        return viewer[1]
    prefetched = getattr(idea, "_prefetched_objects_cache", {}).get("memberships")
    if prefetched is not None:
        return next((m.role for m in prefetched if m.user_id == user.pk), None)
    return (
        TeamMembership.objects.filter(idea=idea, user=user)
        .values_list("role", flat=True)
        .first()
    )


@rules.predicate
def is_team_member(user, idea) -> bool:
    return _membership(user, idea) is not None


@rules.predicate
def is_captain(user, idea) -> bool:
    return _membership(user, idea) == TeamMembership.Role.CAPTAIN


@rules.predicate
def is_invited(user, idea) -> bool:
    """A pending invitation lets the invitee read the idea, even a draft."""
    return (
        user.is_authenticated
        and idea.pk is not None
        and idea.invitations.filter(invitee=user, status=RequestStatus.PENDING).exists()
    )


@rules.predicate
def is_idea_racecourse_admin(user, idea) -> bool:
    return idea is not None and is_racecourse_admin(user, idea.racecourse)


@rules.predicate
def in_racecourse_audience(user, idea) -> bool:
    """Main racecourse and farm: everyone; department racecourse: its department."""
    racecourse = idea.racecourse
    if racecourse.department_id is None or racecourse.kind != "department":
        return True
    return user.department_id in racecourse.department.descendant_ids()


@rules.predicate
def is_draft(user, idea) -> bool:
    return idea.stage == Stage.DRAFT


@rules.predicate
def visibility_everyone(user, idea) -> bool:
    return idea.visibility == Visibility.EVERYONE


def everyone_reads(user, idea) -> bool:
    """The rules' first grant, answered from the idea's own row: every active
    user knows and reads a non-draft idea visible to everyone
    (``ideas.view_idea`` and ``ideas.read_content`` both grant it before
    asking anything else). Hot paths (a ballot) answer the common case with it
    and ask the rules for the rest."""
    return (
        user.is_authenticated
        and user.is_active
        and idea.visibility == Visibility.EVERYONE
        and idea.stage != Stage.DRAFT
    )


@rules.predicate
def visibility_racecourse(user, idea) -> bool:
    return idea.visibility == Visibility.RACECOURSE


@rules.predicate
def visibility_confidential(user, idea) -> bool:
    return idea.visibility == Visibility.CONFIDENTIAL


@rules.predicate
def is_anonymous_idea(user, idea) -> bool:
    return idea.anonymous


def _trainer_statuses(user, idea) -> set[str]:
    # Trainers are mentors: everyone else is answered without a query (this
    # sits in ``ideas.view_idea``, which the ballot hot path asks).
    if not user.is_authenticated or not user.is_mentor or idea is None:
        return set()
    if idea.pk is None:
        return set()
    return set(
        idea.trainer_assignments.filter(trainer__user=user)
        .exclude(status__in=["requested", "declined"])
        .values_list("status", flat=True)
    )


@rules.predicate
def is_idea_trainer(user, idea) -> bool:
    """The team's trainer now (an active assignment)."""
    return "active" in _trainer_statuses(user, idea)


@rules.predicate
def was_idea_trainer(user, idea) -> bool:
    """The team's trainer now or before (active or ended assignment)."""
    return bool(_trainer_statuses(user, idea))


@rules.predicate
def is_blind_evaluator(user, idea) -> bool:
    """An evaluator of the idea's racecourse pool, when the racecourse judges blind."""
    racecourse = idea.racecourse
    return (
        racecourse.blind_evaluation
        and user.is_authenticated
        and racecourse.evaluators.filter(pk=user.pk).exists()
    )


# --- readers registered by higher apps -----------------------------------------


@dataclass(frozen=True)
class Reader:
    """Someone a higher app says may read an idea whatever its level.

    ``predicate(user, idea)`` answers for one idea (cheaply false for most
    users: it sits on the ballot's hot path); ``idea_ids(user)`` gives the ids
    for list filters.
    """

    predicate: Callable
    idea_ids: Callable[..., Iterable[int]]


_READERS: dict[str, Reader] = {}


def reader_register(name: str, *, predicate: Callable, idea_ids: Callable) -> None:
    """Let a higher app add readers (``voting`` adds assigned evaluators).

    Registering the same name again replaces it, so app reloads are harmless.
    """
    _READERS[name] = Reader(predicate=predicate, idea_ids=idea_ids)


@rules.predicate
def is_registered_reader(user, idea) -> bool:
    return user.is_authenticated and any(
        reader.predicate(user, idea) for reader in _READERS.values()
    )


def _reader_idea_ids(user) -> set[int]:
    ids: set[int] = set()
    for reader in _READERS.values():
        ids.update(reader.idea_ids(user))
    return ids


# --- the access log as a grant ---------------------------------------------------


@rules.predicate
def may_request_access(user, idea) -> bool:
    """HR and the admins of the idea's racecourse may open or unmask it."""
    return is_hr_admin(user) or is_idea_racecourse_admin(user, idea)


def _has_access(user, idea, kind: str) -> bool:
    if not user.is_authenticated or idea is None or idea.pk is None:
        return False
    return IdeaAccess.objects.active().filter(user=user, idea=idea, kind=kind).exists()


@rules.predicate
def has_opened(user, idea) -> bool:
    return _has_access(user, idea, IdeaAccess.Kind.OPEN)


@rules.predicate
def has_unmasked(user, idea) -> bool:
    return _has_access(user, idea, IdeaAccess.Kind.UNMASK)


# --- the three decisions ---------------------------------------------------------

is_close_to_idea = is_team_member | was_idea_trainer | is_invited

can_view_idea = rules.is_authenticated & (
    is_team_member
    | is_hr_admin
    | was_idea_trainer
    | (
        ~is_draft
        & (
            visibility_everyone
            | (
                visibility_racecourse
                & (in_racecourse_audience | is_idea_racecourse_admin)
            )
            | (visibility_confidential & is_idea_racecourse_admin)
        )
    )
    | is_invited
    | is_registered_reader
)

can_read_content = can_view_idea & (
    ~visibility_confidential | is_close_to_idea | is_registered_reader | has_opened
)

can_see_team = can_read_content & (
    is_team_member
    | was_idea_trainer
    | (~is_blind_evaluator & (~is_anonymous_idea | has_unmasked))
)

can_open_idea = visibility_confidential & ~is_close_to_idea & may_request_access
can_unmask_idea = (
    is_anonymous_idea & ~is_team_member & ~was_idea_trainer & may_request_access
)

rules.add_perm("ideas.view_idea", can_view_idea)
rules.add_perm("ideas.read_content", can_read_content)
rules.add_perm("ideas.see_team", can_see_team)
rules.add_perm("ideas.open_idea", can_open_idea)
rules.add_perm("ideas.unmask_idea", can_unmask_idea)
rules.add_perm("ideas.view_access_log", is_hr_admin)


# --- the same decisions as queryset filters --------------------------------------


def _close_q(user) -> Q:
    """Ideas the user is close to: team, invitee, trainer, registered reader."""
    close = Q(memberships__user=user) | Q(
        invitations__invitee=user, invitations__status=RequestStatus.PENDING
    )
    if user.is_mentor:
        close |= Q(
            trainer_assignments__trainer__user=user,
            trainer_assignments__status__in=["active", "ended"],
        )
    reader_ids = _reader_idea_ids(user)
    if reader_ids:
        close |= Q(pk__in=reader_ids)
    return close


def visible_q(user) -> Q:
    """``ideas.view_idea`` as a filter (use in ``pk__in`` subqueries: it joins)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_hr_admin(user):
        return Q()
    audience = Q(racecourse__kind__in=[Racecourse.Kind.MAIN, Racecourse.Kind.FARM]) | Q(
        racecourse__department__isnull=True
    )
    if user.department_id is not None:
        own_and_above = [user.department_id] + [
            d.pk for d in user.department.ancestors()
        ]
        audience |= Q(racecourse__department_id__in=own_and_above)
    admin = Q(racecourse__admins=user)
    shared = (
        Q(visibility=Visibility.EVERYONE)
        | Q(Q(visibility=Visibility.RACECOURSE) & (audience | admin))
        | Q(Q(visibility=Visibility.CONFIDENTIAL) & admin)
    )
    return _close_q(user) | (~Q(stage=Stage.DRAFT) & shared)


def _opened_ids(user, kind: str) -> set[int]:
    return set(
        IdeaAccess.objects.active()
        .filter(user=user, kind=kind)
        .values_list("idea_id", flat=True)
    )


def content_q(user) -> Q:
    """``ideas.read_content`` among the ideas the user may view, as a filter."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    readable = ~Q(visibility=Visibility.CONFIDENTIAL) | _close_q(user)
    opened = _opened_ids(user, IdeaAccess.Kind.OPEN)
    if opened:
        readable |= Q(pk__in=opened)
    return readable


class Viewer:
    """The three decisions for one user over a whole page of ideas.

    Each set is loaded once, when first asked, so a page of a hundred ideas
    costs a few queries, not a few per idea.
    """

    def __init__(self, user):
        self.user = user
        self.is_hr = is_hr_admin(user)

    @cached_property
    def team_idea_ids(self) -> set[int]:
        if not self.user.is_authenticated:
            return set()
        return set(
            TeamMembership.objects.filter(user=self.user).values_list(
                "idea_id", flat=True
            )
        )

    @cached_property
    def close_idea_ids(self) -> set[int]:
        """Team, trainer (now or before), pending invitee, registered reader."""
        if not self.user.is_authenticated:
            return set()
        from .models import Idea

        return self.team_idea_ids | set(
            Idea.objects.filter(_close_q(self.user)).values_list("pk", flat=True)
        )

    @cached_property
    def trainer_idea_ids(self) -> set[int]:
        if not (self.user.is_authenticated and self.user.is_mentor):
            return set()
        from .models import TrainerAssignment

        return set(
            TrainerAssignment.objects.filter(
                trainer__user=self.user, status__in=["active", "ended"]
            ).values_list("idea_id", flat=True)
        )

    @cached_property
    def blind_racecourse_ids(self) -> set[int]:
        """Racecourses judging blind whose evaluator pool has this user."""
        if not self.user.is_authenticated:
            return set()
        return set(
            self.user.evaluator_pools.filter(blind_evaluation=True).values_list(
                "pk", flat=True
            )
        )

    @cached_property
    def _grants(self) -> set[tuple[int, str]]:
        if not self.user.is_authenticated:
            return set()
        return set(
            IdeaAccess.objects.active(now=timezone.now())
            .filter(user=self.user)
            .values_list("idea_id", "kind")
        )

    def reads_content(self, idea) -> bool:
        """``ideas.read_content`` for an idea the user may view."""
        if idea.visibility != Visibility.CONFIDENTIAL:
            return True
        return (
            idea.pk in self.close_idea_ids
            or (idea.pk, IdeaAccess.Kind.OPEN) in self._grants
        )

    def sees_names(self, idea) -> bool:
        """``ideas.see_team`` for an idea the user may view."""
        if not self.reads_content(idea):
            return False
        blind = idea.racecourse_id in self.blind_racecourse_ids
        if not (idea.anonymous or blind):
            return True  # the common case, answered without the sets below
        if idea.pk in self.team_idea_ids or idea.pk in self.trainer_idea_ids:
            return True
        if blind:
            return False
        return (idea.pk, IdeaAccess.Kind.UNMASK) in self._grants


def viewer_for(request) -> "Viewer | None":
    """The request's ``Viewer``, made once per request (None: no request).

    Templates and serializer fields share it, so a page of many ideas asks a
    fixed number of queries; a user who signs in mid-request (the API's token
    authentication) gets a fresh one."""
    if request is None:
        return None
    user = getattr(request, "user", None)
    if user is None:
        return None
    viewer = getattr(request, "_idea_viewer", None)
    if viewer is None or viewer.user is not user:
        viewer = request._idea_viewer = Viewer(user)
    return viewer
