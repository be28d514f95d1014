"""The demo's clock: replay a moment of the story's past."""

import datetime as dt
from contextlib import contextmanager
from unittest import mock


@contextmanager
def clock(when: dt.datetime):
    """Inside, ``timezone.now()`` answers ``when``.

    The services check the calendar against the clock (registration only
    inside its window) and date what they write by it, so a step the story
    places months ago is taken, and dated, months ago.
    """
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield
