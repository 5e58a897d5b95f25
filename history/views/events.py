"""Placeholder until the public pages land."""

from django.http import HttpResponse


def event_list(request, *args, **kwargs):
    return HttpResponse("not yet")


def event_detail(request, *args, **kwargs):
    return HttpResponse("not yet")
