"""The project's URLs plus /bench/hello/ (the floor a page's throughput is compared with, through the
full middleware, signed in) and /bench/bare/ (the same answer, open to anyone, which bench.throughput
serves with bench.settings_bare: no middleware at all)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello", content_type="text/plain")


@login_not_required  # marks the function itself: hello, a function of its own, still needs a sign-in
def bare(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello, name="bench_hello"),
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("config.urls")),
]
