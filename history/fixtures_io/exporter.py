"""Write the database out as canonical fixture files (JSON) or spreadsheets (CSV).

Files are written record by record: rows are sorted by natural key holding only the
keys, then fetched a chunk at a time (format.iter_sorted_records), so memory does not
grow with the size of a table."""

import io
from pathlib import Path

from history import kinds

from . import csvformat
from .format import SlugIndex, get_model, iter_json_chunks, iter_sorted_records

FORMATS = ("json", "csv")


def write(stream, model_name, fmt, queryset=None, slugs=None):
    """Write one model's file to a text stream; `queryset` narrows it to some rows."""
    records = iter_sorted_records(model_name, queryset, slugs)
    if fmt == "csv":
        csvformat.write(stream, get_model(model_name), records)
        return
    for chunk in iter_json_chunks(model_name, records):
        stream.write(chunk)


def render(model_name, fmt, queryset=None, slugs=None):
    """The text of one model's file, e.g. for the rows chosen in an admin list."""
    buffer = io.StringIO()
    write(buffer, model_name, fmt, queryset, slugs)
    return buffer.getvalue()


def export(output_dir, fmt="json", model_names=None):
    """Write one file per model into output_dir; return the paths written."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    slugs = SlugIndex()
    written = []
    for model_name in model_names or kinds.import_order():
        path = output_dir / f"{model_name}.{fmt}"
        # newline="" keeps CSV's \r\n and JSON's \n exactly as rendered on every OS.
        with open(path, "w", encoding="utf-8", newline="") as stream:
            write(stream, model_name, fmt, slugs=slugs)
        written.append(path)
    return written
