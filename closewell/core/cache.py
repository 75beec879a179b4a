"""Django's Redis cache with one redis-py client per connection pool.

Django's RedisCacheClient.get_client makes a new redis.Redis for every cache call, and redis-py fills
each new client's table of about 170 response callbacks: 0.08 ms of CPU for every session read, which
with sessions in Redis is every signed-in request. A client holds no connection of its own (it borrows
one from the pool for each command), so one per pool is what redis-py intends.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if id(pool) not in self._clients:  # the pools live as long as this object: ids are not reused
            self._clients[id(pool)] = self._client(connection_pool=pool)
        return self._clients[id(pool)]


class RedisCache(redis.RedisCache):
    """CACHES' backend for Redis (closewell.core.cache.RedisCache): Django's, with the client above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
