"""Counting failed guesses (a case number with the last digits of a phone, …) in the shared cache, so a public
form cannot be used to enumerate what it protects. Counts expire with their window."""

from dataclasses import dataclass

from django.core.cache import caches

from civicgrid.core.errors import TooManyAttempts


@dataclass(frozen=True)
class FailureThrottle:
    scope: str
    limit: int
    window_s: int

    def _key(self, key: str) -> str:
        return f"throttle:{self.scope}:{key}"

    def check(self, *keys: str) -> None:
        """Refuse when any of the keys has used up its failures in the current window."""
        counts = caches["default"].get_many([self._key(k) for k in keys if k])
        if any(int(count) >= self.limit for count in counts.values()):
            raise TooManyAttempts()

    def failed(self, *keys: str) -> None:
        cache = caches["default"]
        for key in filter(None, keys):
            name = self._key(key)
            if cache.add(name, 1, self.window_s):
                continue
            try:
                cache.incr(name)
            except ValueError:  # expired between add and incr
                cache.add(name, 1, self.window_s)
