"""The season console: HR sets a season up, schedules it and opens it.

``services`` (writes: create, copy, department racecourses, window moves and
early closes with their ``WindowChange`` audit rows, opening), ``schedule``
(the rules a racecourse's windows must keep), ``selectors`` (what a person
may see of the console, the timeline, the review), ``forms``, ``views`` and
``urls`` (the browser pages under ``/console/``) and ``apis`` (the same
operations for REST clients).
"""
