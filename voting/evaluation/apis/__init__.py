"""Offline evaluation over the API: rubrics, assignments and conflicts,
scorecards and the panel. ``voting.api_urls`` routes it."""
