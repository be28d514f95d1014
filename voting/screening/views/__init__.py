"""Browser pages for online screening: the judging page and the results page.

Thin views: parse, ask ``voting.screening.selectors``, call one ``voting.screening.services``
function, render.
"""
