"""Settings are chosen by environment, never by editing files.

``DJANGO_SETTINGS_MODULE=horserace.settings`` gives the laptop defaults from
``base``; ``horserace.settings.production`` only hardens them, and
``horserace.settings.test`` makes the suite fast and deterministic.
"""

from .base import *  # noqa: F401,F403
