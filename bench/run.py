"""Benchmark (not a test): import_fixtures against loaddata, export_fixtures against
dumpdata, on fresh SQLite databases, with a generated fixture set.

    .venv/bin/python bench/run.py [N]                  (default N = 100000 objects)
    .venv/bin/python bench/run.py --memory 20000 100000

Mostly events, each with one citation, plus sources and organisations, in the canonical
format; both commands read the same files. Each step runs in its own process (step.py),
so its peak memory (max RSS) is its own.

--memory runs only our commands at each size and prints their peak memory side by
side: memory that stays nearly flat from 20,000 to 100,000 objects is what "bounded"
means here (what grows is the set of natural keys the importer keeps to resolve
references, and the sorted keys of the export)."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ("organization", "source", "event", "citation")


def generate(folder, total):
    organisations = max(total // 50, 1)
    sources = max(total // 12, 1)
    events = (total - organisations - sources) // 2
    scripts = ["Japan and Afghanistan", "日本とアフガニスタン", "افغانستان و جاپان", "افغانستان او جاپان"]

    def write(name, objects):
        with open(folder / f"{name}.json", "w", encoding="utf-8") as stream:
            json.dump(list(objects), stream, ensure_ascii=False, indent=2, sort_keys=True)

    write(
        "organization",
        (
            {
                "model": "history.organization",
                "fields": {
                    "slug": f"org-{n:06d}",
                    "name_en": f"Organisation {n}",
                    "name_ja": f"機関 {n}",
                    "organization_type": "ministry",
                    "acronym": f"O{n}",
                    "country": "JP",
                    "url": "",
                    "iati_ref": "",
                    "description_en": "An organisation.",
                },
            }
            for n in range(organisations)
        ),
    )
    write(
        "source",
        (
            {
                "model": "history.source",
                "fields": {
                    "slug": f"source-{n:06d}",
                    "title": f"Report {n}: {scripts[n % 4]}",
                    "source_type": "report",
                    "publisher": [f"org-{n % organisations:06d}"],
                    "published_date": "2002-01-21",
                    "status": "published",
                    "url": f"https://example.org/report/{n}",
                    "description_en": "A report.",
                },
            }
            for n in range(sources)
        ),
    )
    write(
        "event",
        (
            {
                "model": "history.event",
                "fields": {
                    "slug": f"event-{n:06d}",
                    "title_en": f"Event {n}",
                    "title_ja": f"出来事 {n}",
                    "title_fa_af": f"رویداد {n}",
                    "summary_en": f"Something happened ({scripts[n % 4]}).",
                    "start_date": f"{1931 + n % 90}-0{1 + n % 9}-01",
                    "start_precision": "month",
                    "event_type": "other",
                    "status": "published",
                },
            }
            for n in range(events)
        ),
    )
    write(
        "citation",
        (
            {
                "model": "history.citation",
                "fields": {
                    "event": [f"event-{n:06d}"],
                    "source": [f"source-{n % sources:06d}"],
                    "locator": f"p. {n % 300}",
                    "quotation": "",
                },
            }
            for n in range(events)
        ),
    )
    return organisations + sources + 2 * events


def step(database, *command):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DJANGO_SETTINGS_MODULE": "config.settings_test"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "step.py"), *command], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if result.returncode:
        sys.exit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def prepare(work, total):
    """Generate `total` objects under work/fixtures and migrate an empty database:
    (number of objects, fixture files, the empty database)."""
    fixtures = work / "fixtures"
    fixtures.mkdir()
    objects = generate(fixtures, total)
    files = [str(fixtures / f"{name}.json") for name in MODELS]
    database = work / "empty.sqlite3"
    step(database, "migrate", "--noinput")
    return objects, files, database


def memory(sizes):
    """Peak memory of import, second import and export at each size."""
    rows = {}
    for total in sizes:
        work = Path(tempfile.mkdtemp(prefix="history-bench-"))
        try:
            objects, files, database = prepare(work, total)
            rows[objects] = {
                "import_fixtures": step(database, "import_fixtures", *files),
                "import_fixtures (again)": step(database, "import_fixtures", *files),
                "export_fixtures": step(database, "export_fixtures", "--output", str(work / "export")),
            }
        finally:
            shutil.rmtree(work, ignore_errors=True)
    counts = list(rows)
    print(f"{'peak memory (MB)':26}" + "".join(f"{count:>12} objects" for count in counts))
    for name in rows[counts[0]]:
        cells = "".join(f"{rows[count][name]['peak_mb']:12.1f} MB     " for count in counts)
        print(f"{name:26}{cells}")
    print(f"{'seconds':26}" + "".join(f"{count:>12} objects" for count in counts))
    for name in rows[counts[0]]:
        cells = "".join(f"{rows[count][name]['seconds']:12.2f} s      " for count in counts)
        print(f"{name:26}{cells}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("total", nargs="?", type=int, default=100_000, help="objects to generate (default 100000)")
    parser.add_argument(
        "--memory", nargs="+", type=int, metavar="N", help="only our commands' peak memory at each of these sizes"
    )
    arguments = parser.parse_args()
    if arguments.memory:
        memory(arguments.memory)
        return
    total = arguments.total
    work = Path(tempfile.mkdtemp(prefix="history-bench-"))
    try:
        objects, files, empty = prepare(work, total)
        print(f"{objects} objects in {work / 'fixtures'}")

        results = {}
        for name, command in (("import_fixtures", ["import_fixtures", *files]), ("loaddata", ["loaddata", *files])):
            database = work / f"{name}.sqlite3"
            shutil.copy(empty, database)
            results[name] = step(database, *command)
        database = work / "import_fixtures.sqlite3"
        results["export_fixtures"] = step(database, "export_fixtures", "--output", str(work / "export"))
        results["dumpdata"] = step(
            database,
            "dumpdata",
            "history.organization",
            "history.source",
            "history.event",
            "history.citation",
            "--natural-foreign",
            "--natural-primary",
            "--output",
            str(work / "dump.json"),
        )
        # A second import of the same files: everything unchanged, nothing written.
        results["import_fixtures (again)"] = step(database, "import_fixtures", *files)

        for name, result in results.items():
            print(f"{name:26} {result['seconds']:8.2f} s   peak {result['peak_mb']:7.1f} MB")
        for ours, django_command in (("import_fixtures", "loaddata"), ("export_fixtures", "dumpdata")):
            ratio = results[ours]["seconds"] / results[django_command]["seconds"]
            print(f"{ours} / {django_command} = {ratio:.2f} (time)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
