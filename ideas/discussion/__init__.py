"""Talk around the ideas: comments and replies with @mentions, follows of
ideas and challenges, reports and moderation, and the trending mark."""
