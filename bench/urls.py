"""The project's URLs plus /bench/hello/ (the floor a page's throughput is compared with, through the
full middleware) and /bench/bare/ (the same view, measured through a handler with no middleware)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("bench/bare/", login_not_required(hello), name="bench_bare"),
    path("", include("config.urls")),
]
