"""The shared cache, which must not take the site down when Redis does."""

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailOpenRedisCache(RedisCache):
    """Django's RedisCache, except that an unreachable Redis reads as empty and stores nothing.

    The cache holds only the abuse limits' counts. While Redis is down they count nothing (and
    say so in the log) rather than turning every public post and API call into a 500; with
    RATELIMIT_FAIL_OPEN, django-ratelimit lets a request through when it cannot count it.
    """

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._or(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(None, super().set, key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError as exc:
            _log(exc)
            raise ValueError("The cache is unreachable.") from exc

    @staticmethod
    def _or(fallback, call, *args):
        try:
            return call(*args)
        except RedisError as exc:
            _log(exc)
            return fallback


def _log(exc: RedisError) -> None:
    logger.error("cache unreachable, abuse limits not counted: %s", type(exc).__name__)
