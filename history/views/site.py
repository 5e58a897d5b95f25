"""Placeholder until the public pages land."""

from django.http import HttpResponse


def home(request, *args, **kwargs):
    return HttpResponse("not yet")


def about(request, *args, **kwargs):
    return HttpResponse("not yet")


def timeline(request, *args, **kwargs):
    return HttpResponse("not yet")


def search(request, *args, **kwargs):
    return HttpResponse("not yet")


def language_redirect(request, *args, **kwargs):
    return HttpResponse("not yet")


def robots_txt(request, *args, **kwargs):
    return HttpResponse("not yet")
