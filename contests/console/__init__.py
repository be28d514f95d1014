"""The season console: HR sets a season up, schedules it and opens it.

``services`` (writes: create, copy, department racecourses, window moves and
early closes with their ``WindowChange`` audit rows, opening), ``schedule``
(the rules a racecourse's windows must keep), ``selectors`` (what a person
may see of the console, the timeline, the review), ``forms``, ``views`` and
``urls`` (the browser pages under ``/console/``).

The same operations for REST clients are ``contests.apis.console``: the
season and window endpoints extend the read-only views of ``contests.apis``
with their POST and PATCH, and a module here importing those would close an
import circle between ``contests.apis`` and ``contests.console``.
"""
