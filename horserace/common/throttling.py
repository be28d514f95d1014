"""API throttles that count, rather than remember every request.

DRF's ``SimpleRateThrottle`` keeps, per client, the list of its request
times within the rate's period, and reads, unpickles, appends, pickles and
writes that whole list back on every request. At the user rate a busy voting
client reaches (6,000 a minute) the list grows to thousands of floats, so the
cost of the check grows with how busy the client is, on the hottest endpoint
(a ballot); and the read-then-write loses counts between two processes.

These keep one integer per client and period (a fixed window, as
django-ratelimit does): one atomic ``incr`` on the shared cache per request,
an ``add`` only when a new period starts. The price of a fixed window is that
a client may send up to twice its rate across a period's boundary, which is
what a ceiling against floods needs, not an exact quota. ``Retry-After`` is
the time left in the period.
"""

from rest_framework import throttling


class CountingThrottle(throttling.SimpleRateThrottle):
    """``SimpleRateThrottle`` with a counter per period instead of a history."""

    # Set from the rate by SimpleRateThrottle.__init__ (parse_rate).
    num_requests: int
    duration: int

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        period = int(self.now // self.duration)
        self.period_ends = (period + 1) * self.duration
        key = f"{self.key}:{period}"
        try:
            count = self.cache.incr(key)
        except ValueError:  # the period's first request (or its key expired)
            # The key lives a little past its period, so a slow request at the
            # boundary does not find it gone between the add and the incr.
            if self.cache.add(key, 1, int(self.duration) + 1):
                count = 1
            else:  # another process added it first
                count = self.cache.incr(key)
        if count > self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def throttle_success(self) -> bool:
        return True

    def wait(self) -> float:
        return max(self.period_ends - self.now, 0.0)


class AnonRateThrottle(CountingThrottle, throttling.AnonRateThrottle):
    """Anonymous clients, by address (``anon`` rate)."""


class UserRateThrottle(CountingThrottle, throttling.UserRateThrottle):
    """Signed-in clients, by user (``user`` rate)."""
