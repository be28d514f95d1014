"""Setting up a season's racecourses in the app itself, not the Django admin.

A racecourse's settings, its challenges, the season's resource catalogue,
budgets and trainer pool, and the people's roles (evaluators, mentors,
racecourse admins, HR admins), for HR and, on their own racecourses, for
racecourse admins. The pages (``views``) and the API (``apis``) call the
same ``services``; every role change leaves a ``RoleChange`` row.

Seasons and their windows are the console's (``contests.console``).
"""
