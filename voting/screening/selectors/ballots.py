"""The voter's ballots, and the ideas a ballot is cast on (the hot path)."""

import functools
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from contests.models import Racecourse, StageWindow, WindowStage
from horserace.accounts.models import Department
from horserace.common.permissions import can
from horserace.common.rows import columns, execute_prepared, instance_from_row
from ideas.models import Idea, TeamMembership
from ideas.visibility import content_q, everyone_reads, visible_q
from voting.models import Ballot, Choice
from voting.screening.selectors.rounds import screening_window


def ballot_list(*, voter, window: StageWindow | None = None) -> QuerySet[Ballot]:
    """The voter's ballots, last changed first."""
    qs = Ballot.objects.filter(voter=voter)
    if window is not None:
        qs = qs.filter(window=window)
    return qs.select_related("idea", "window").order_by("-updated_at", "-pk")


def ballot_get(*, voter, idea: Idea) -> Ballot | None:
    """The voter's ballot on ``idea`` in its racecourse's round, if any."""
    window = screening_window(racecourse=idea.racecourse)
    if window is None:
        return None
    return (
        Ballot.objects.filter(voter=voter, idea=idea, window=window)
        .select_related("idea", "window")
        .first()
    )


def supports_used(*, voter, window: StageWindow, excluding_idea=None) -> int:
    """The supports ``voter`` has given in ``window`` (the budget's count).

    The one place supports are counted: the single and the batch cast, the
    judging page's header and the queue API all ask here. ``excluding_idea``
    leaves out the ballot on that idea (a change of it spends nothing new).
    """
    qs = Ballot.objects.filter(voter=voter, window=window, choice=Choice.SUPPORT)
    if excluding_idea is not None:
        qs = qs.exclude(idea=excluding_idea)
    return qs.count()


@dataclass(frozen=True)
class Judging:
    """An idea a ballot is cast on, with what deciding on the ballot needs.

    ``window`` is the idea's round (its racecourse's screening window, or
    None). ``on_team`` is whether the voter is on the idea's team, ``readable``
    whether the voter may read it (``ideas.read_content``); None when not
    known yet, and ``judge_refusal_detail`` then asks.
    """

    idea: Idea
    window: StageWindow | None
    on_team: bool | None = None
    readable: bool | None = None

    @property
    def round(self) -> StageWindow:
        """The round of a judgment the refusal check let through (it refuses
        an idea with no round)."""
        assert self.window is not None, "judge_refusal refuses a missing round"
        return self.window

    @classmethod
    def of(cls, idea: Idea) -> "Judging":
        """For an idea loaded elsewhere: its round read (or prefetched) now."""
        return cls(idea=idea, window=screening_window(racecourse=idea.racecourse))


def _readable(user, idea: Idea, team_role: str | None) -> bool:
    """``ideas.read_content`` for the idea of a ballot, from its own row; the
    levels other than everyone ask the rules, with the team role known."""
    if everyone_reads(user, idea):
        return True
    if not (user.is_authenticated and user.is_active):
        return False
    idea.viewer_membership = (user.pk, team_role)  # read by ideas.visibility
    return can(user, "ideas.read_content", idea)


@functools.lru_cache(maxsize=256)
def _judging_sql(where: str = "i.id = %s", user: str = "%s") -> str:
    """The ballot's one query: the idea by primary key, its racecourse and
    department, its screening window and the voter's role on its team.

    Written out once rather than built by the ORM on every ballot: composing
    the joins, the filtered window and the role subquery cost more than the
    query (every join is on a primary key or a unique index). ``user`` is the
    voter's id: a placeholder, or a column of an outer query
    (``judging_lateral``).
    """
    select = ", ".join(
        columns(Idea, "i")
        + columns(Racecourse, "r")
        + columns(Department, "d")
        + columns(StageWindow, "w")
    )
    idea, racecourse = Idea._meta.db_table, Racecourse._meta.db_table
    department, window = Department._meta.db_table, StageWindow._meta.db_table
    membership = TeamMembership._meta.db_table
    return (
        f"SELECT {select}, (SELECT m.role FROM {membership} m "  # noqa: S608
        f"WHERE m.idea_id = i.id AND m.user_id = {user} LIMIT 1) "
        f"FROM {idea} i JOIN {racecourse} r ON r.id = i.racecourse_id "
        f"LEFT JOIN {department} d ON d.id = r.department_id "
        # The racecourse's round: its one screening window, or on the farm
        # the last of its recurring rounds (``contests.selectors.window_get``).
        f"LEFT JOIN {window} w ON w.id = (SELECT w2.id FROM {window} w2 "
        "WHERE w2.racecourse_id = r.id AND w2.stage = %s "
        "ORDER BY w2.round DESC, w2.opens_at DESC LIMIT 1) "
        f"WHERE {where}"
    )


def idea_for_judging(*, user, pk) -> Judging | None:
    """The idea with what judging it needs, or None if unknown or not readable.

    One indexed query, for the hot path of a ballot (``_judging_sql``,
    prepared once per connection): the idea, its racecourse and department,
    its round and the user's role on its team. Whether the user may read it
    is decided from that row (``_readable``).
    """
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        return None
    if not 0 < pk < 2**63:
        return None
    with connection.cursor() as cursor:
        params = [user.pk, WindowStage.SCREENING.value, pk]
        execute_prepared(cursor, "horserace_judging", _judging_sql(), params)
        row = cursor.fetchone()
    if row is None:
        return None
    return judging_from_row(user, row)


def judging_lateral() -> tuple[str, list]:
    """``_judging_sql`` for the voter of an outer query whose user is ``u``:
    the token's query reads the idea a ballot names in its own round trip
    (``voting.screening.apis.auth``). Returns the SQL and the parameters
    that come before the idea's id."""
    return _judging_sql(user="u.id"), [WindowStage.SCREENING.value]


def judging_from_row(user, row, start: int = 0) -> Judging | None:
    """The ``Judging`` in ``row[start:]`` (a ``_judging_sql`` row), or None
    when there is none (no such idea) or ``user`` may not read it."""
    if row[start] is None:
        return None
    judging, team_role = _judging_from_row(row[start:] if start else row)
    if not _readable(user, judging.idea, team_role):
        return None
    return judging


def _judging_from_row(row, shared: dict | None = None) -> tuple[Judging, str | None]:
    """A ``_judging_sql`` row as a ``Judging`` (readable) and the team role.

    ``shared`` (racecourse id → its racecourse and window) lets the rows of
    one query share one racecourse and one window, as a batch's ideas mostly
    do, instead of building them again for every idea.
    """
    idea, at = instance_from_row(Idea, row, 0)
    fields = _row_widths()
    racecourse_id = idea.racecourse_id
    if shared is not None and racecourse_id in shared:
        racecourse, window = shared[racecourse_id]
        at += fields[Racecourse] + fields[Department] + fields[StageWindow]
    else:
        racecourse, at = instance_from_row(Racecourse, row, at)
        department, at = instance_from_row(Department, row, at)
        window, at = instance_from_row(StageWindow, row, at)
        racecourse.department = department
        if window is not None:
            window.racecourse = racecourse
        if shared is not None:
            shared[racecourse_id] = (racecourse, window)
    team_role = row[at]
    idea.racecourse = racecourse
    judging = Judging(
        idea=idea, window=window, on_team=team_role is not None, readable=True
    )
    return judging, team_role


@functools.cache
def _row_widths() -> dict:
    return {
        model: len(model._meta.concrete_fields)
        for model in (Racecourse, Department, StageWindow)
    }


def ideas_for_judging(*, user, pks: set[int]) -> dict[int, Judging]:
    """``idea_for_judging`` for many ids: id → ``Judging`` of the readable ones.

    One query for the ideas (``_judging_sql`` over all the ids), decided as
    the single lookup decides: ideas visible to everyone from their rows, the
    others (if any) in one more query with the rules as filters
    (``visible_idea_ids``).
    """
    ids = sorted(pk for pk in pks if 0 < pk < 2**63)
    if not ids:
        return {}
    params = [user.pk, WindowStage.SCREENING.value]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = _judging_sql("i.id = ANY(%s)")
            execute_prepared(cursor, "horserace_judgings", sql, [*params, ids])
        else:
            sql = _judging_sql(f"i.id IN ({', '.join(['%s'] * len(ids))})")
            cursor.execute(sql, [*params, *ids])
        rows = cursor.fetchall()
    shared: dict = {}
    found = [_judging_from_row(row, shared)[0] for row in rows]
    others = {j.idea.pk for j in found if not everyone_reads(user, j.idea)}
    if others and user.is_active:
        others -= visible_idea_ids(user=user, ids=others, content=True)
    return {j.idea.pk: j for j in found if j.idea.pk not in others}


def visible_idea_ids(*, user, ids: set[int], content: bool = False) -> set[int]:
    """Which of ``ids`` the user may see (with ``content``: may also read), in
    one query."""
    if not ids:
        return set()
    qs = Idea.objects.filter(pk__in=ids).filter(
        pk__in=Idea.objects.filter(visible_q(user)).values("pk")
    )
    if content:
        qs = qs.filter(pk__in=Idea.objects.filter(content_q(user)).values("pk"))
    return set(qs.values_list("pk", flat=True))
