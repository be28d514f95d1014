"""The evaluator pool, assignments and preferences: writes and the reads around them.

The projects of a racecourse are its ideas in offline evaluation. An
evaluator's *load* on a racecourse is how many of those projects they are
assigned to; ``Racecourse.max_projects_per_evaluator`` (L) caps it and
``evaluators_per_project`` (k) is how many evaluators each project needs.

Every write that changes who is assigned locks the racecourse's row first
(as ``conflicts.conflict_declare`` does), so the automatic assignment, manual
changes, pool changes and newly declared conflicts never interleave.

``selectors``  the projects, the pool with its loads, the evaluator's own lists
``matrix``     the projects × evaluators matrix of the admin page
``pool``       writes on the pool: its settings (k, L), members, preferences
``assign``     writes on assignments: ``assignments_auto``, by hand
``common``     what the writes share: the racecourse lock, checks and notices
"""
