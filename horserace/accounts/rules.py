"""Company-wide role predicates. Per-object rules live in each app's rules.py."""

import rules


@rules.predicate
def is_hr_admin(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_hr_admin or user.is_superuser)
    )


@rules.predicate
def is_mentor(user) -> bool:
    return bool(user and user.is_authenticated and user.is_mentor)


@rules.predicate
def is_evaluator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_evaluator)


is_employee = rules.is_authenticated & rules.is_active

# HR keeps the company directory in step with its employee file.
rules.add_perm("accounts.import_directory", is_hr_admin)
