"""Placeholder until the public pages land."""

from django.http import HttpResponse


def source_list(request, *args, **kwargs):
    return HttpResponse("not yet")


def source_detail(request, *args, **kwargs):
    return HttpResponse("not yet")
