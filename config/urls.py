from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
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
    # The index keeps the name robots.txt and crawlers know; its pages are sections.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section", "template_name": "history/sitemap_index.xml"},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        # Django's sitemap views and pages; the files drawn by Jinja2 (history.jinja).
        {"sitemaps": SITEMAPS, "template_name": "history/sitemap.xml"},
        name="sitemap-section",
    ),
]

urlpatterns += i18n_patterns(
    path("", include("history.urls")),
    prefix_default_language=True,
)
