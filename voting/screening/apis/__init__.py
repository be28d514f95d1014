"""Online screening over the API: ballots, queues, impressions, results and the
confirmation of a window decided by a person. ``voting.api_urls`` routes it."""
