"""Writes for the race: closing stage windows and promoting between racecourses.

``closing`` applies a window's rule at its close (through the funnel);
``promotion`` moves a department racecourse's best ideas up to its parent.
"""

from .closing import window_apply, window_confirm, windows_due
from .promotion import idea_promote

__all__ = ["idea_promote", "window_apply", "window_confirm", "windows_due"]
