"""Registration: the timestamped claim that moves an idea into the race."""
