"""A cache that uses Redis and, while Redis does not answer, the database.

Sign-in, password reset and every other limit kept in the cache (allauth's rate limits, DRF's
throttles) keep working through a Redis outage: their counters move to a table in the database,
shared by every worker so a limit stays a limit, and move back when Redis answers again. After a
failure Redis is left alone for ``RETRY_SECONDS``, so a request waits on a dead server at most once
in that time per process. Only outages fail over; any other error from Redis is raised as usual.

    CACHES = {
        "default": {"BACKEND": "marketplace.cache_failover.FailoverCache",
                    "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database"}},
        "redis": {"BACKEND": "django_redis.cache.RedisCache", ...},
        "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "cache_fallback"},
    }
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Per process: until when (time.monotonic()) each primary is taken as down. A cache of the truth
# (whether Redis answers), so it only decides where the next call goes first.
_down_until: dict[str, float] = {}
_lock = threading.Lock()


class PrimaryUnavailable(ConnectionError):
    """The primary cache failed a moment ago and is being left alone for now."""


def _is_outage(error: Exception) -> bool:
    return isinstance(error, (ConnectionInterrupted, RedisConnectionError, RedisTimeoutError, OSError, TimeoutError))


class FailoverCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        options = params.get("OPTIONS", {})
        self.primary_alias = options["PRIMARY"]
        self.fallback_alias = options["FALLBACK"]
        self.retry_seconds = float(options.get("RETRY_SECONDS", 5))

    # Which cache answers ---------------------------------------------------------------------

    def primary_is_down(self) -> bool:
        return time.monotonic() < _down_until.get(self.primary_alias, 0.0)

    def primary_failed(self, error: BaseException | None = None) -> None:
        """Send calls to the database for the next RETRY_SECONDS (callers that reach Redis directly use this)."""
        with _lock:
            was_down = self.primary_is_down()
            _down_until[self.primary_alias] = time.monotonic() + self.retry_seconds
        if not was_down:
            logger.warning(
                "Redis cache unavailable (%r); using the database cache, trying Redis again in %.0f s.",
                error,
                self.retry_seconds,
            )

    @property
    def primary(self) -> BaseCache:
        """The Redis cache itself; raises PrimaryUnavailable while it is taken as down."""
        if self.primary_is_down():
            raise PrimaryUnavailable("The Redis cache failed a moment ago.")
        return caches[self.primary_alias]

    @property
    def fallback(self) -> BaseCache:
        return caches[self.fallback_alias]

    def _call(self, name: str, *args, **kwargs):
        if not self.primary_is_down():
            try:
                return getattr(caches[self.primary_alias], name)(*args, **kwargs)
            except Exception as error:
                if not _is_outage(error):
                    raise
                self.primary_failed(error)
        return getattr(caches[self.fallback_alias], name)(*args, **kwargs)

    # The cache API -------------------------------------------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout=timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default=default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout=timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta=delta, version=version)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", key, delta=delta, version=version)

    def make_key(self, key, version=None):
        return caches[self.primary_alias].make_key(key, version=version)

    def clear(self):
        # Both: a test or an operator clearing the cache means all of it.
        for alias in (self.primary_alias, self.fallback_alias):
            try:
                caches[alias].clear()
            except Exception as error:
                if not _is_outage(error):
                    raise
                self.primary_failed(error)

    def close(self, **kwargs):
        pass  # Django closes every configured cache, the primary and fallback among them, after each request
