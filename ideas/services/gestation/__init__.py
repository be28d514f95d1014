"""Gestation: resource requests and grants, milestones and progress, the final
proposal, and HR's extensions.

Budget rule: a grant locks the ``ResourceBudget`` row of its resource on the
idea's racecourse, sums what is already granted there and refuses to go past
the budget, so two grants at the same moment cannot overdraw it. With no
budget row nothing can be granted. Trainers live in
``ideas.services.trainers``.

Where things are: ``resources`` (requests and grants, ``granted_total``),
``progress`` (milestones and updates), ``proposal`` (the final proposal,
extensions, elimination) and ``helpers`` (locks, who to tell, field
errors), which ``trainers`` uses too.
"""
