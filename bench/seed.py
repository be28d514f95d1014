"""Seed a screening round at Alibaba scale, fast.

BENCHMARK DATA ONLY. The app builds this state through its services and the
funnel, one idea at a time; here 20,000 employees, 300 ideas and 1,000,000
ballots must appear in well under a minute, so rows are written in bulk:
``bulk_create`` for the small tables and PostgreSQL ``COPY`` (plain
``executemany`` elsewhere) for ballots and impressions. The one shortcut that
the app forbids is setting ``Idea.stage`` without the funnel: ``_put_in_screening``
does it with one SQL ``UPDATE`` and writes the matching ``StageTransition``
rows itself, so the ideas look as if they had walked draft → registered →
screening.

Two racecourses of one season are seeded: the main one (``Scale.ideas``
ideas) and a department racecourse open to the whole company
(``Scale.small_ideas`` ideas), so a page's query count can be compared at two
sizes. Voters never judge an idea of their own team.
"""

import contextlib
import datetime as dt
import io
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from knox.models import AuthToken

from contests.models import Racecourse, Season, StageWindow, WindowStage
from horserace.accounts.models import Department, User
from ideas.models import Idea, Registration, Stage, StageTransition, TeamMembership
from ideas.services.ideas import idea_content
from ideas.services.registration import content_fingerprint
from voting.models import Ballot, Choice, Impression

SEASON_NAME = "Horserace bench season"
MAIN_SLUG = "bench-main"
SMALL_SLUG = "bench-small"
PASSWORD = "bench-password"  # every seeded employee's, for trying pages by hand
EMAIL_DOMAIN = "bench.example"


@dataclass(frozen=True)
class Scale:
    """How big the scene is. The default is the benchmark's."""

    employees: int = 20_000
    ideas: int = 300
    small_ideas: int = 30
    ballots: int = 1_000_000
    small_ballots: int = 100_000
    # Impressions with no ballot (seen, skipped), as a share of the ballots.
    skipped_share: float = 0.2
    # Employees the load generator acts as; never on a team, so never refused.
    # The sustained run needs 200 of them at once.
    load_users: int = 256
    seed: int = 20_26


#: The whole season at its peak (``bench.run --full``): every one of the
#: 20,000 employees has judged 240 of the 300 ideas (6,000,000 pairs, 4,800,000
#: ballots, and 960,000 more impressions of ideas seen and skipped).
FULL_SCALE = Scale(ballots=4_800_000)

#: Enough for the sustained run alone (``bench.run --sustained-only``): every
#: idea and load voter of the benchmark, a fiftieth of its ballots, so it
#: seeds in seconds.
SUSTAINED_SCALE = Scale(employees=2_000, ballots=20_000, small_ballots=2_000)


@dataclass
class Scene:
    """Ids of what the seed made, found again by name on a later run."""

    season_id: int
    main_id: int
    small_id: int
    main_window_id: int
    small_window_id: int
    main_idea_ids: list[int]
    small_idea_ids: list[int]
    load_user_ids: list[int]
    page_user_id: int
    ballots: dict[int, int] = field(default_factory=dict)  # window id → count


def scene_find() -> Scene | None:
    """The scene a previous seed left, or None if there is none (or half of one)."""
    season = Season.objects.filter(name=SEASON_NAME).first()
    if season is None:
        return None
    courses = {r.slug: r for r in Racecourse.objects.filter(season=season)}
    if MAIN_SLUG not in courses or SMALL_SLUG not in courses:
        return None
    main, small = courses[MAIN_SLUG], courses[SMALL_SLUG]
    windows = {
        w.racecourse_id: w
        for w in StageWindow.objects.filter(
            racecourse__in=[main, small], stage=WindowStage.SCREENING
        )
    }
    load_ids = list(
        User.objects.filter(email__startswith="bench-load-")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    page_user = User.objects.filter(email=f"bench-hr@{EMAIL_DOMAIN}").first()
    if len(windows) != 2 or not load_ids or page_user is None:
        return None

    def idea_ids(racecourse):
        return list(
            Idea.objects.filter(racecourse=racecourse, stage=Stage.SCREENING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    scene = Scene(
        season_id=season.pk,
        main_id=main.pk,
        small_id=small.pk,
        main_window_id=windows[main.pk].pk,
        small_window_id=windows[small.pk].pk,
        main_idea_ids=idea_ids(main),
        small_idea_ids=idea_ids(small),
        load_user_ids=load_ids,
        page_user_id=page_user.pk,
    )
    for window_id in (scene.main_window_id, scene.small_window_id):
        scene.ballots[window_id] = Ballot.objects.filter(window_id=window_id).count()
    return scene


def scene_is_complete(scene: Scene | None, scale: Scale) -> bool:
    """Does ``scene`` hold at least what ``scale`` asks for?"""
    return (
        scene is not None
        and len(scene.main_idea_ids) >= scale.ideas
        and len(scene.small_idea_ids) >= scale.small_ideas
        and len(scene.load_user_ids) >= scale.load_users
        and scene.ballots.get(scene.main_window_id, 0) >= scale.ballots
        and scene.ballots.get(scene.small_window_id, 0) >= scale.small_ballots
    )


def seed(scale: Scale = Scale(), *, log=print) -> Scene:
    """Write the whole scene into an empty database (of its bench tables)."""
    rng = random.Random(scale.seed)
    now = timezone.now()
    began = time.perf_counter()
    with transaction.atomic():
        users = _employees(scale, now)
        log(f"  {len(users):,} employees")
        season, main, small, main_window, small_window = _season(now)
        team_users = users[: 2 * (scale.ideas + scale.small_ideas)]
        page_user = users[len(team_users)]
        load_users = users[-scale.load_users :]
        main_ideas, main_teams = _ideas(
            main, season, team_users[: 2 * scale.ideas], scale.ideas, now
        )
        small_ideas, small_teams = _ideas(
            small, season, team_users[2 * scale.ideas :], scale.small_ideas, now
        )
        log(f"  {len(main_ideas) + len(small_ideas)} ideas in screening")
    voter_ids = [u.pk for u in users]
    counts, ballots, impressions = {}, [], []
    for window, ideas, teams, target in (
        (main_window, main_ideas, main_teams, scale.ballots),
        (small_window, small_ideas, small_teams, scale.small_ballots),
    ):
        cast, seen = _judgments(
            window_id=window.pk,
            voter_ids=voter_ids,
            idea_ids=[i.pk for i in ideas],
            own=teams,
            target=target,
            skipped_share=scale.skipped_share,
            rng=rng,
            now=now,
        )
        counts[window.pk] = len(cast)
        ballots += cast
        impressions += seen
    _insert(
        Ballot,
        ["voter", "idea", "window", "choice", "reason", "created_at", "updated_at"],
        ballots,
    )
    _insert(Impression, ["voter", "idea", "window", "created_at"], impressions)
    log(f"  {len(ballots):,} ballots ({time.perf_counter() - began:.0f}s)")
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner, and the visibility map and hint
        # bits set now, so the first measured scan does not write pages.
        # (VACUUM cannot run inside a transaction, as in a test.)
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for model in (Ballot, Impression, User, Idea):
                cursor.execute(f"{command} {model._meta.db_table}")
    return Scene(
        season_id=season.pk,
        main_id=main.pk,
        small_id=small.pk,
        main_window_id=main_window.pk,
        small_window_id=small_window.pk,
        main_idea_ids=[i.pk for i in main_ideas],
        small_idea_ids=[i.pk for i in small_ideas],
        load_user_ids=[u.pk for u in load_users],
        page_user_id=page_user.pk,
        ballots=counts,
    )


def tokens_issue(user_ids: Iterable[int]) -> dict[int, str]:
    """A fresh knox token per user (the plain text is only known at creation).

    Earlier bench tokens of these users are deleted first, so reruns do not
    pile them up (knox reads all of a user's tokens on every request).
    """
    user_ids = list(user_ids)
    AuthToken.objects.filter(user_id__in=user_ids).delete()
    users = User.objects.in_bulk(user_ids)
    return {pk: AuthToken.objects.create(user=users[pk])[1] for pk in user_ids}


# --- the pieces ---------------------------------------------------------------


def _employees(scale: Scale, now) -> list[User]:
    departments = Department.objects.bulk_create(
        Department(name=f"Bench department {n}", code=f"bench-{n}") for n in range(20)
    )
    password = make_password(PASSWORD)  # hashed once, shared: hashing is slow
    load_from = scale.employees - scale.load_users
    team_and_page = 2 * (scale.ideas + scale.small_ideas)

    def email(n):
        if n >= load_from:
            return f"bench-load-{n - load_from}@{EMAIL_DOMAIN}"
        if n == team_and_page:
            return f"bench-hr@{EMAIL_DOMAIN}"
        return f"bench-{n}@{EMAIL_DOMAIN}"

    users = (
        User(
            email=email(n),
            display_name=f"Bench employee {n}",
            employee_number=f"B{n:07d}",
            department=departments[n % len(departments)],
            password=password,
            is_hr_admin=n == team_and_page,
            date_joined=now,
        )
        for n in range(scale.employees)
    )
    created = []
    while batch := list(islice(users, 2000)):
        created += User.objects.bulk_create(batch)
    return created


def _season(now):
    season = Season.objects.create(
        name=SEASON_NAME,
        year=now.year,
        starts_on=(now - dt.timedelta(days=60)).date(),
        ends_on=(now + dt.timedelta(days=120)).date(),
        status=Season.Status.OPEN,
    )
    main = Racecourse.objects.create(
        season=season,
        name="Bench main racecourse",
        slug=MAIN_SLUG,
        kind=Racecourse.Kind.MAIN,
        audience="company",
    )
    small = Racecourse.objects.create(
        season=season,
        name="Bench department racecourse",
        slug=SMALL_SLUG,
        kind=Racecourse.Kind.DEPARTMENT,
        audience="company",
        parent=main,
        promotion_quota=3,
    )
    windows = []
    for racecourse, k in ((main, 50), (small, 5)):
        StageWindow.objects.create(
            racecourse=racecourse,
            stage=WindowStage.REGISTRATION,
            opens_at=now - dt.timedelta(days=40),
            closes_at=now - dt.timedelta(days=10),
        )
        windows.append(
            StageWindow.objects.create(
                racecourse=racecourse,
                stage=WindowStage.SCREENING,
                opens_at=now - dt.timedelta(days=2),
                closes_at=now + dt.timedelta(days=18),
                rule=StageWindow.Rule.TOP_K,
                top_k=k,
            )
        )
    return season, main, small, *windows


def _ideas(racecourse, season, team_users, count, now):
    """``count`` registered ideas in screening, each with a captain and a member.

    Returns the ideas and the set of (user id, idea id) team pairs.
    """
    ideas = Idea.objects.bulk_create(
        Idea(
            racecourse=racecourse,
            author=team_users[2 * n],
            title=f"{racecourse.slug} idea {n}",
            pitch=f"Idea {n}: a faster way to do thing {n} for everyone.",
            problem=f"Thing {n} is slow and costs every team an hour a week.",
            proposal=f"Automate thing {n}. **Markdown** is supported.",
        )
        for n in range(count)
    )
    teams = set()
    memberships = []
    for n, idea in enumerate(ideas):
        captain, member = team_users[2 * n], team_users[2 * n + 1]
        memberships += [
            TeamMembership(idea=idea, user=captain, role=TeamMembership.Role.CAPTAIN),
            TeamMembership(idea=idea, user=member, role=TeamMembership.Role.MEMBER),
        ]
        teams |= {(captain.pk, idea.pk), (member.pk, idea.pk)}
    TeamMembership.objects.bulk_create(memberships)
    first = Registration.objects.filter(season=season).count() + 1
    Registration.objects.bulk_create(
        Registration(
            idea=idea,
            season=season,
            number=first + n,
            registered_at=now - dt.timedelta(days=20, minutes=count - n),
            registered_by=idea.author,
            fingerprint=content_fingerprint(idea_content(idea)),
            content=idea_content(idea),
        )
        for n, idea in enumerate(ideas)
    )
    _put_in_screening([idea.pk for idea in ideas])
    return ideas, teams


def _put_in_screening(idea_ids: list[int]) -> None:
    """BENCHMARK SHORTCUT: stage set in bulk SQL, bypassing ``ideas.funnel``.

    The funnel moves one idea at a time and notifies its team; for a seed of
    hundreds that is slow and noisy. The transitions the funnel would have
    written are written here, so the history reads the same.
    """
    table = Idea._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET stage = %s WHERE id IN "  # noqa: S608 - our table
            f"({', '.join(['%s'] * len(idea_ids))})",
            [Stage.SCREENING, *idea_ids],
        )
    StageTransition.objects.bulk_create(
        StageTransition(idea_id=pk, from_stage=a, to_stage=b, reason="bench seed")
        for pk in idea_ids
        for a, b in (
            (Stage.DRAFT, Stage.REGISTERED),
            (Stage.REGISTERED, Stage.SCREENING),
        )
    )


def _judgments(
    *, window_id, voter_ids, idea_ids, own, target, skipped_share, rng, now
) -> tuple[list[tuple], list[tuple]]:
    """``target`` ballot rows on distinct (voter, idea) pairs, and impression rows.

    Each idea gets its own support rate, so the ranking means something.
    Every ballot has an impression; ``skipped_share`` more impressions have
    none (the voter saw the idea and skipped it). Pairs in ``own`` (a voter's
    own team) are left out.
    """
    n_ideas = len(idea_ids)
    space = len(voter_ids) * n_ideas
    wanted = target + int(target * skipped_share)
    if wanted + len(own) > space:
        raise ValueError(f"{wanted:,} judgments do not fit {space:,} pairs")
    rate = {pk: rng.uniform(0.15, 0.85) for pk in idea_ids}
    support, oppose = Choice.SUPPORT.value, Choice.OPPOSE.value
    ballots, impressions = [], []
    for k in rng.sample(range(space), wanted + len(own)):
        voter, idea = voter_ids[k // n_ideas], idea_ids[k % n_ideas]
        if (voter, idea) in own:
            continue
        if len(ballots) < target:
            choice = support if rng.random() < rate[idea] else oppose
            ballots.append((voter, idea, window_id, choice, "", now, now))
        elif len(impressions) == wanted:
            break
        impressions.append((voter, idea, window_id, now))
    return ballots, impressions


@contextlib.contextmanager
def _bare_table(model):
    """On PostgreSQL, lift a table's indexes and foreign keys while it is filled.

    Keeping seven indexes and three (deferred) foreign-key triggers up to
    date row by row makes a million-row ``COPY`` minutes long; building the
    indexes once and validating each key with one join afterwards takes
    seconds. The definitions are read from the catalog and restored verbatim,
    inside the same transaction.
    """
    if connection.vendor != "postgresql":
        yield
        return
    table = model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # index sorts
        # Dropping a foreign key alters the table it points to, which fails
        # while that table has deferred checks pending (in an enclosing
        # transaction, as in a test): run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
            [table],
        )
        constraints = cursor.fetchall()
        for name, _ in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint "
            "WHERE conrelid = %s::regclass)",
            [table, table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        yield
        for _, definition in indexes:
            cursor.execute(definition)
        for name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _insert(model, field_names: list[str], rows: Iterator[tuple], chunk=200_000):
    """Insert plain rows: ``COPY`` on PostgreSQL, ``executemany`` elsewhere."""
    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in field_names]
    with _bare_table(model), connection.cursor() as cursor:
        rows = iter(rows)
        while batch := list(islice(rows, chunk)):
            if connection.vendor == "postgresql":
                cursor.copy_expert(
                    f"COPY {table} ({', '.join(columns)}) FROM STDIN",
                    _copy_text(batch),
                )
            else:
                adapt = connection.ops.adapt_datetimefield_value
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(columns))})",
                    [
                        [adapt(v) if isinstance(v, dt.datetime) else v for v in row]
                        for row in batch
                    ],
                )


def _copy_text(rows: list[tuple]) -> io.StringIO:
    """Rows in COPY's text format (the seed's values need no escaping but \\N)."""

    def text(value):
        if value is None:
            return r"\N"
        if isinstance(value, dt.datetime):
            return value.isoformat()
        return str(value)

    buffer = io.StringIO()
    buffer.writelines("\t".join(map(text, row)) + "\n" for row in rows)
    buffer.seek(0)
    return buffer
