"""Who may do what with the race's own objects."""

import rules

from horserace.accounts.rules import is_hr_admin


@rules.predicate
def is_racecourse_admin(user, racecourse) -> bool:
    if racecourse is None or not user.is_authenticated:
        return False
    return racecourse.admins.filter(pk=user.pk).exists()


can_manage_racecourse = is_hr_admin | is_racecourse_admin

rules.add_perm("contests.manage_racecourse", can_manage_racecourse)
rules.add_perm("contests.manage_season", is_hr_admin)


@rules.predicate
def administers_in_season(user, season) -> bool:
    """Does ``user`` run a racecourse of ``season`` (of any season, for ``None``)?"""
    if not user.is_authenticated or not user.is_active:
        return False
    racecourses = user.administered_racecourses.all()
    if season is not None:
        racecourses = racecourses.filter(season=season)
    return racecourses.exists()


# The season console: HR everywhere; a racecourse admin reads it for their own.
rules.add_perm("contests.view_console", is_hr_admin | administers_in_season)
