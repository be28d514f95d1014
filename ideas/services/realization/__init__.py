"""Realization: outcomes, time allocations and staged investment.

Who may do what is in ``ideas.rules`` (the realization block); every function
here asks it first. Everything happens while the idea is in realization,
except a manager's answer to a time allocation, which may come after the plan
completed.

Locks: a plan's tranches change only under the plan's row lock
(``_lock_plan``), taken before the idea's row (which the funnel locks). So two
HR admins approving the same milestone at once release it once, and a plan
completes (and its idea is realized) once.

Where things are: ``outcomes``, ``allocations`` (time allocations), ``plan``
(the investment plan and its tranches), ``reviews`` (milestone reviews and
releases), ``closing`` (``realization_close``) and ``helpers`` (locks,
checks and who to tell, shared by the others).
"""
