"""The judging: screening ballots and tallies, evaluation scorecards.

Built in the screening and evaluation issues; the app exists from the start so
the layout is the design card's.
"""
