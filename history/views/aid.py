"""Placeholder until the public pages land."""

from django.http import HttpResponse


def aid_list(request, *args, **kwargs):
    return HttpResponse("not yet")


def aid_detail(request, *args, **kwargs):
    return HttpResponse("not yet")
