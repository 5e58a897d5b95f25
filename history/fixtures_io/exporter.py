"""Write the database out as canonical fixture files (JSON) or spreadsheets (CSV)."""

from pathlib import Path

from . import csvformat
from .format import MODEL_ORDER, SlugIndex, get_model, iter_json_chunks, sorted_records

FORMATS = ("json", "csv")


def render(model_name, fmt, queryset=None, slugs=None):
    """The text of one model's file; `queryset` narrows it to some rows (admin actions)."""
    records = sorted_records(model_name, queryset, slugs)
    if fmt == "csv":
        return csvformat.render(get_model(model_name), records)
    return "".join(iter_json_chunks(model_name, records))


def export(output_dir, fmt="json", model_names=MODEL_ORDER):
    """Write one file per model into output_dir; return the paths written."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    slugs = SlugIndex()
    written = []
    for model_name in model_names:
        path = output_dir / f"{model_name}.{fmt}"
        text = render(model_name, fmt, slugs=slugs)
        # newline="" keeps CSV's \r\n and JSON's \n exactly as rendered on every OS.
        with open(path, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        written.append(path)
    return written
