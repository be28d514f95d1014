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
