"""Offline evaluation in the browser: evaluator pools, conflicts and assignments.

``mine``              /evaluation/ — an evaluator's assignments, loads,
                      conflicts and preferences
``assignment_page``   /evaluation/racecourses/<id>/assignments/ — HR and the
                      racecourse's admins: pool, settings, the automatic
                      assignment, the matrix, loads and conflicts
``idea_conflicts``    /evaluation/ideas/<pk>/conflicts/ — the team's captain
                      declares conflicts with evaluators of the pool

Forms live in ``forms`` because only these pages use them. A form that fails,
or a service that refuses, re-renders the page with the errors on the form;
the one-button actions report a refusal as a message. Success redirects.

``evaluator``   ``mine`` and the evaluator's actions (conflicts, preferences)
``captain``     ``idea_conflicts``
``racecourse``  ``assignment_page`` and its actions (``MATRIX_PAGE_SIZE`` is
                read there)
``forms``       the forms of these pages
``helpers``     what the pages share
"""
