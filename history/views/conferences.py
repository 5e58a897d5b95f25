"""Placeholder until the public pages land."""

from django.http import HttpResponse


def conference_list(request, *args, **kwargs):
    return HttpResponse("not yet")


def conference_detail(request, *args, **kwargs):
    return HttpResponse("not yet")
