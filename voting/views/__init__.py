"""Browser pages for online screening: the judging page and the results page.

Thin views: parse, ask ``voting.selectors``, call one ``voting.services``
function, render.
"""
