"""The Redis cache backend (sessions live in it when REDIS_URL is set): Django's, with one client."""

import json

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from closewell.core.cache import RedisCache
from closewell.security.tests.test_sessions import redis_url

from .test_settings import run


@pytest.fixture
def cache():
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI runs this)")
    cache = RedisCache(url, {"KEY_PREFIX": "closewell-test-cache"})
    yield cache
    cache.delete_many(["a", "b"])


def test_every_call_uses_one_client(cache):
    """Django's backend makes a client for every call; ours makes one, on the first."""
    cache.set("a", 1)
    client = cache._cache.get_client()
    cache.set("b", {"two": 2})
    assert cache.get("a") == 1 and cache.get("b") == {"two": 2}
    assert cache._cache.get_client() is client and cache._cache.get_client(write=True) is client


def test_it_is_djangos_backend_otherwise(cache):
    assert isinstance(cache, DjangoRedisCache)
    assert cache.add("a", 1) and not cache.add("a", 2) and cache.get("a") == 1
    assert cache.get_many(["a", "missing"]) == {"a": 1}


def test_redis_url_chooses_it_for_sessions():
    code = (
        "import json, config.settings.base as s; print(json.dumps([s.CACHES['default'], s.SESSION_ENGINE]))"
    )
    result = run(code, REDIS_URL="redis://cache.example.invalid:6379/2")
    assert result.returncode == 0, result.stderr
    backend, engine = json.loads(result.stdout)
    assert backend == {
        "BACKEND": "closewell.core.cache.RedisCache",
        "LOCATION": "redis://cache.example.invalid:6379/2",
    }
    assert engine == "django.contrib.sessions.backends.cache"
