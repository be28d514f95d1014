"""The roles a person holds, worked out once per request.

Every user is an employee; ``is_evaluator``, ``is_mentor`` and HR are flags on
the user; a racecourse admin is named on racecourses (one query, asked only
when a page needs it: the context processor hands templates a lazy object).
"""

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from contests.selectors import racecourses_managed
from horserace.accounts.rules import is_hr_admin


@dataclass
class Roles:
    user: Any

    @property
    def employee(self) -> bool:
        return bool(getattr(self.user, "is_authenticated", False))

    @property
    def evaluator(self) -> bool:
        return self.employee and bool(self.user.is_evaluator)

    @property
    def mentor(self) -> bool:
        return self.employee and bool(self.user.is_mentor)

    @cached_property
    def hr(self) -> bool:
        return is_hr_admin(self.user)

    @cached_property
    def racecourse_admin(self) -> bool:
        """Runs at least one racecourse (any season): HR runs them all."""
        if not self.employee or not self.user.is_active:
            return False
        managed = racecourses_managed(user=self.user)
        return managed.everything or bool(managed.ids)

    @cached_property
    def names(self) -> list[str]:
        """The roles held, in the order the home page shows their badges."""
        held = ["employee"] if self.employee else []
        for name in ("evaluator", "mentor", "racecourse_admin", "hr"):
            if getattr(self, name):
                held.append(name)
        return held


def roles_of(user) -> Roles:
    return Roles(user)
