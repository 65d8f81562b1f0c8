"""The project's URLs plus the benchmark's trivial baseline view (never deployed)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    """Render the empty site layout for the logged-in user: what every page pays at least."""
    return render(request, "base.html")


urlpatterns = [path("bench/baseline/", trivial), *project_urlpatterns]
