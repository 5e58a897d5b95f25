from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import index, sitemap
from django.urls import include, path

from history.sitemaps import SITEMAPS
from history.views.pages import favicon, language_redirect, robots_txt

urlpatterns = [
    path("", language_redirect, name="root"),
    path("admin/", admin.site.urls),  # with the tool pages: history/admin_site.py
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots-txt"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", favicon, name="favicon"),
    # An index of sections, each in files of a bounded size (history.sitemaps).
    path("sitemap.xml", index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path("sitemap-<section>.xml", sitemap, {"sitemaps": SITEMAPS}, name="django.contrib.sitemaps.views.sitemap"),
]

urlpatterns += i18n_patterns(
    path("", include("history.urls")),
    prefix_default_language=True,
)
