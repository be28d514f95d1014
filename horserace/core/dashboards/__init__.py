"""The season dashboard: the funnel, participation, ballots, evaluation,
resources and tranches of one season, for HR and racecourse admins.

``selectors`` computes each series (one or two grouped queries each), ``views``
draws them with Chart.js beside a table, ``apis`` serves the same series.
"""
