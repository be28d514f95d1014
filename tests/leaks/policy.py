"""The policy of README.md ("Who sees what") as code: may ``user`` read data of class ``cls`` of an idea?

Written from the policy, not from ``ideas.rules``: it reads only the facts
the world recorded while building (who is on the team, who trains it, who is
assigned, conflicted or has submitted a card, who administers the racecourse,
who was given an access grant), never the platform's own predicates, so the
matrix checks the code against the policy and not against itself.
"""

from .world import IdeaFixture, World


def _is_admin(world: World, user, f: IdeaFixture) -> bool:
    return user.pk in f.admin_ids


def _granted(world: World, user, f: IdeaFixture, what: str) -> bool:
    return (user.pk, f.idea.pk, what) in world.grants


def _breaks_glass(world: World, user, f: IdeaFixture, what: str) -> bool:
    """HR, or an admin of the idea's racecourse, who opened/unmasked it."""
    return (user.is_hr_admin or _is_admin(world, user, f)) and _granted(
        world, user, f, what
    )


def may_read_content(world: World, user, f: IdeaFixture) -> bool:
    if user is None:
        return False  # not logged in: nothing of any idea
    if user.pk in f.team_ids:
        return True
    confidential = f.kind == "con"
    hr_ok = user.is_hr_admin and (
        not confidential or _breaks_glass(world, user, f, "open")
    )
    if f.stage_code == "dra":
        return hr_ok or (f.invitee is not None and user.pk == f.invitee.pk)
    if hr_ok:
        return True
    if user.pk in f.trainer_ids:
        return True
    assigned = user.pk in f.assigned_ids and user.pk not in f.conflicted_ids
    if confidential:
        return assigned or (
            _is_admin(world, user, f) and _breaks_glass(world, user, f, "open")
        )
    if f.kind == "dep":
        audience = world.audience_department_ids(f.racecourse)
        return (
            audience is None
            or user.department_id in audience
            or _is_admin(world, user, f)
            or assigned
        )
    return True  # public (and blind, anonymous, other: visibility everyone)


def may_know_exists(world: World, user, f: IdeaFixture) -> bool:
    """The title: whoever reads the content, and HR and the admins of its
    racecourse for a confidential idea they have not opened (README, "Who
    sees what": they see that it exists, to run the race)."""
    if may_read_content(world, user, f):
        return True
    if user is None or f.kind != "con":
        return False
    if user.is_hr_admin:
        return True
    return _is_admin(world, user, f) and f.stage_code != "dra"


def may_read_desk(world: World, user, f: IdeaFixture) -> bool:
    """A desk's working data (resource requests, tranche milestones and
    reviews, outcome notes): whoever reads the content, and HR, who runs a
    confidential project's desks without opening it."""
    if may_read_content(world, user, f):
        return True
    return (
        user is not None
        and user.is_hr_admin
        and f.kind == "con"
        and f.stage_code != "dra"
    )


def may_read_names(world: World, user, f: IdeaFixture) -> bool:
    if not may_read_content(world, user, f):
        return False
    if user.pk in f.team_ids:
        return True
    if f.kind == "ano":
        return user.pk in f.trainer_ids or _breaks_glass(world, user, f, "unmask")
    if f.kind == "bli" and user.pk in f.pool_ids:
        return False
    return True


def may_read_sessions(world: World, user, f: IdeaFixture) -> bool:
    """Trainer sessions: the team, its trainers and HR (never admins, evaluators)."""
    if not may_read_content(world, user, f):
        return False
    return user.pk in f.team_ids or user.pk in f.trainer_ids or user.is_hr_admin


def _reads_cards(world: World, user, f: IdeaFixture) -> bool:
    """Scorecards of others: HR and the racecourse's admins, and evaluators who
    submitted their own and are not conflicted (the writer reads their own)."""
    if user is None or user.pk in f.team_ids:
        return False
    if user.is_hr_admin or _is_admin(world, user, f):
        return True
    return user.pk in f.submitted_ids and user.pk not in f.conflicted_ids


def may_read_panel_notes(world: World, user, f: IdeaFixture) -> bool:
    """Panel notes and the panel's discussion: never the team."""
    return _reads_cards(world, user, f)


def may_read_team_comments(world: World, user, f: IdeaFixture) -> bool:
    """The team reads them once the panel has decided."""
    if user is not None and user.pk in f.team_ids:
        return f.decided
    return _reads_cards(world, user, f)


ORACLE = {
    "ti": may_know_exists,
    "dk": may_read_desk,
    "ct": may_read_content,
    "nm": may_read_names,
    "ss": may_read_sessions,
    "pn": may_read_panel_notes,
    "tc": may_read_team_comments,
}


def allowed(world: World, user, f: IdeaFixture, cls: str) -> bool:
    return ORACLE[cls](world, user, f)
