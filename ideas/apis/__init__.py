"""The API of ideas, registration and teams; ``ideas.api_urls`` routes it with the
gestation and realization APIs."""
