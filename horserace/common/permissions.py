"""Asking the rules, with no blanket pass for superusers.

``User.has_perm`` answers yes to every question for an active superuser, which
would make an HR superuser "captain" of every team. Every domain check asks the
rules directly through ``can``; HR's real powers are spelled out in the rules.
"""

import rules


def can(user, perm: str, obj=None) -> bool:
    if user is None or not user.is_active:
        return False
    return rules.has_perm(perm, user, obj)
