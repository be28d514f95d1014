"""Realization in the browser: the HR desk, a project's page, a manager's
approvals, and one small page per action.

Each action has its own URL. Its form may sit on the project page (short
ones) or on its own page (GET); a POST that fails validation, or that the
service refuses, shows that form again with its errors. A user who may not
act gets a 403; an object they may not see, a 404.

Where things are: ``pages`` (the desk, a project, the approvals),
``outcomes`` (outcomes and time allocations), ``plan`` (the plan, its
tranches, reviews and closing) and ``helpers`` (the shared form page).
"""
