"""Fixture files in the admin: the import page and the export actions.

- The import page (a tool page, see history.admin_site): upload a JSON or CSV fixture file,
  see what importing it would do (or every problem in it), then confirm. The
  importer runs as the editor in both steps, so it applies the editor's rights
  (only publishers may import published records) and its refusals are shown in
  the editor's language.
- "Export selected as JSON / CSV": actions on the list of every model the
  fixtures carry (RevisionsAdmin, ProvinceAdmin), and on no other app's.

The uploaded bytes wait between the two steps in a private temporary file named by a
random token; the token is kept in the uploader's session, so nobody else can confirm
it, and the file is removed after the import or when a new file is uploaded."""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..fixtures_io.exporter import render as render_file
from ..fixtures_io.importer import Importer

MAX_UPLOAD = 50 * 1024 * 1024
SESSION_KEY = "history_import"
UPLOAD_DIR = Path(settings.IMPORT_UPLOAD_DIR)  # per instance, not the shared temporary folder
TEMPLATE = "admin/history/import_fixtures.html"


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fixture file (.json or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".csv")):
            raise forms.ValidationError(_("Choose a .json or .csv file."))
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        return upload


def _pending_path(token):
    # The token is ours (token_urlsafe) and only ever read back from the session.
    return UPLOAD_DIR / f"{token}.upload"


def _forget(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        _pending_path(pending["token"]).unlink(missing_ok=True)


def import_view(request):
    """The site checks the editor's permissions before this runs (history.admin_site.TOOL_PAGES)."""
    context = {**admin.site.each_context(request), "title": _("Import fixtures")}
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request, context)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        name = Path(upload.name).name
        report = Importer(dry_run=True, user=request.user).run_bytes([(name, data)])
        _forget(request)
        if report.ok:
            token = secrets.token_urlsafe(24)
            UPLOAD_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
            _pending_path(token).write_bytes(data)
            request.session[SESSION_KEY] = {"token": token, "name": name}
            context["token"] = token
        context.update(report=report, file_name=name, count_lines=report.count_lines())
    context["form"] = form
    return render(request, TEMPLATE, context)


def _confirm(request, context):
    pending = request.session.get(SESSION_KEY)
    if not pending or not secrets.compare_digest(pending["token"], request.POST.get("token", "")):
        messages.error(request, _("That upload has expired; choose the file again."))
        return redirect("admin:history-import")
    path = _pending_path(pending["token"])
    try:
        data = path.read_bytes()
    except OSError:
        _forget(request)
        messages.error(request, _("That upload has expired; choose the file again."))
        return redirect("admin:history-import")
    report = Importer(user=request.user).run_bytes([(pending["name"], data)])
    _forget(request)
    if not report.ok:  # the database changed between the two steps
        context.update(report=report, file_name=pending["name"], form=UploadForm())
        return render(request, TEMPLATE, context)
    messages.success(
        request,
        _("Imported %(file)s: %(counts)s") % {"file": pending["name"], "counts": "; ".join(report.count_lines())},
    )
    return redirect("admin:index")


def _export(queryset, fmt):
    model_name = queryset.model._meta.model_name
    text = render_file(model_name, fmt, queryset=queryset)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
    response = HttpResponse(text.encode("utf-8"), content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{model_name}-{stamp}.{fmt}"'
    return response


@admin.action(description=gettext_lazy("Export selected as JSON fixtures"))
def export_selected_json(modeladmin, request, queryset):
    return _export(queryset, "json")


@admin.action(description=gettext_lazy("Export selected as CSV (UTF-8, for spreadsheets)"))
def export_selected_csv(modeladmin, request, queryset):
    return _export(queryset, "csv")


EXPORT_ACTIONS = (export_selected_json, export_selected_csv)
