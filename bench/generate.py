"""A large generated content set for the page benchmark (bench/pages.py), written
with bulk inserts into the database DATABASE_URL names, on top of the seed:

    DATABASE_URL=... DJANGO_SETTINGS_MODULE=config.settings_test python bench/generate.py [SCALE]
    DATABASE_URL=... DJANGO_SETTINGS_MODULE=config.settings_test python bench/generate.py --settle

At SCALE 1 (the default): 100,000 events, 2,000 conferences, 20,000 aid programmes,
50,000 sources, 300,000 citations, every text in all four languages; 2 % of events
are milestones, 1 % of events have a disagreement between two sources, one record
in ten mentions Kabul. Every record is published, and its search column is filled
the way a save fills it (history.signals), so search reads what it would read on
the site. Prints one JSON line: the counts and the seconds it took."""

import datetime
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from modeltranslation.translator import translator  # noqa: E402

from history.models import (  # noqa: E402
    AidProgram,
    Citation,
    Claim,
    Conference,
    Disagreement,
    Event,
    Organization,
    Source,
)
from history.search_index import drop_search_index, ensure_search_index  # noqa: E402
from history.signals import fill_search_text  # noqa: E402

BATCH = 2000
PLACES = ("Kabul", "Herat", "Kandahar", "Bamiyan", "Jalalabad", "Tokyo", "Nangarhar", "Kapisa", "Doha", "Islamabad")
PLACES_JA = (
    "カブール",
    "ヘラート",
    "カンダハール",
    "バーミヤン",
    "ジャラーラーバード",
    "東京",
    "ナンガルハール",
    "カピサ",
    "ドーハ",
    "イスラマバード",
)
PLACES_FA = ("کابل", "هرات", "کندهار", "بامیان", "جلال‌آباد", "توکیو", "ننگرهار", "کاپیسا", "دوحه", "اسلام آباد")


def texts(n, kind):
    """Title, summary and body in the four languages, naming a place (Kabul for one
    record in ten)."""
    place = n % len(PLACES)
    en, ja, fa = PLACES[place], PLACES_JA[place], PLACES_FA[place]
    number = f"{n:06d}"
    return {
        "title_en": f"{kind} {number}: Japan and Afghanistan in {en}",
        "title_ja": f"{kind} {number}：{ja}における日本とアフガニスタン",
        "title_fa_af": f"{kind} {number}: جاپان و افغانستان در {fa}",
        "title_ps": f"{kind} {number}: جاپان او افغانستان په {fa} کې",
        "summary_en": f"Officials of Japan and Afghanistan met in {en} to discuss cooperation, record {number}.",
        "summary_ja": f"日本とアフガニスタンの当局者が{ja}で協力について話し合った（記録{number}）。",
        "summary_fa_af": f"مقام‌های جاپان و افغانستان در {fa} دربارهٔ همکاری گفتگو کردند، سند {number}.",
        "summary_ps": f"د جاپان او افغانستان چارواکو په {fa} کې د همکارۍ په اړه خبرې وکړې، سند {number}.",
        "body_en": (
            f"The meeting in {en} followed months of preparation. Both sides agreed on the next steps, "
            "and the records of the ministry describe the talks in some detail."
        ),
        "body_ja": (
            f"{ja}での会合は数か月の準備の後に開かれた。双方は次の段階で合意し、外務省の記録が協議の詳細を伝えている。"
        ),
        "body_fa_af": f"نشست {fa} پس از ماه‌ها آمادگی برگزار شد. دو طرف بر گام‌های بعدی توافق کردند. ",
        "body_ps": f"په {fa} کې غونډه د میاشتو چمتووالي وروسته جوړه شوه. دواړو خواوو په راتلونکو ګامونو موافقه وکړه. ",
    }


_SEARCH_TEXTS = {}


def prepared(model, fields, n):
    """The row's fields with the search column a save would give it. Records differ
    only in their number and place, so the column is normalised once per kind and
    place and the number put in (normalising leaves digits as they are)."""
    number = f"{n:06d}"
    key = (model, n % len(PLACES))
    if key not in _SEARCH_TEXTS:
        instance = model(**fields)
        fill_search_text(instance)
        _SEARCH_TEXTS[key] = instance.search_text.replace(number, "\x00")
    options = translator.get_options_for_model(model)
    for field in options.all_fields:  # the untranslated column holds the default language
        fields.setdefault(field, fields.get(f"{field}_en", ""))
    fields.update(search_text=_SEARCH_TEXTS[key].replace("\x00", number), status="published")
    fields.update(review_ja="draft", review_fa_af="draft", review_ps="draft")
    return fields


def _column_values(model, now):
    """(column, attribute, value when the row has none) of every column but the id."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = now
        elif field.has_default():
            default = field.get_default()
        else:
            default = None if field.null else ""
        columns.append((field.column, field.attname, default))
    return columns


def write(model, rows):
    """Insert the rows as they are, without the ORM's per-object work: executemany
    on SQLite, COPY on PostgreSQL (the database's own triggers still run)."""
    now = timezone.now()
    columns = _column_values(model, now)
    names = ", ".join(connection.ops.quote_name(column) for column, _a, _d in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    adapt = {
        datetime.datetime: connection.ops.adapt_datetimefield_value,
        datetime.date: connection.ops.adapt_datefield_value,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row.get(attname, default) for _c, attname, default in columns])
            return
        values = []
        for row in rows:
            value_list = []
            for _c, attname, default in columns:
                value = row.get(attname, default)
                convert = adapt.get(type(value))
                value_list.append(convert(value) if convert else value)
            values.append(value_list)
        placeholders = ", ".join("%s" for _column in columns)
        for start in range(0, len(values), BATCH):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({placeholders})", values[start : start + BATCH])


def ids(model, prefix):
    return list(model.objects.filter(slug__startswith=prefix).order_by("slug").values_list("pk", flat=True))


def day(n, first_year=1900, years=126):
    return datetime.date(first_year + n % years, 1 + n % 12, 1 + n % 28)


def generate(scale=1.0):
    random.seed(10)
    counts = {
        name: int(number * scale)
        for name, number in (
            ("event", 100_000),
            ("conference", 2_000),
            ("aidprogram", 20_000),
            ("source", 50_000),
            ("citation", 300_000),
        )
    }
    organisations = [
        {"slug": f"bench-org-{n:03d}", "name": f"Organisation {n}", "name_en": f"Organisation {n}", "acronym": f"BO{n}"}
        for n in range(200)
    ]
    write(Organization, organisations)
    organisations = ids(Organization, "bench-org-")

    sources = [
        prepared(
            Source,
            dict(
                slug=f"bench-source-{n:06d}",
                title=f"Report {n:06d} on Japan and Afghanistan in {PLACES[n % len(PLACES)]}",
                source_type="report",
                publisher_id=organisations[n % len(organisations)],
                published_date=day(n, 1950, 76),
                url=f"https://example.org/report/{n}",
                reliability=("primary", "agency", "secondary", "tertiary")[n % 4],
                language=("en", "ja", "fa", "ps")[n % 4],
                description_en="A report on the relations.",
                description_ja="両国関係についての報告書。",
                description_fa_af="گزارشی دربارهٔ روابط.",
                description_ps="د اړیکو په اړه راپور.",
            ),
            n,
        )
        for n in range(counts["source"])
    ]
    write(Source, sources)
    source_ids = ids(Source, "bench-source-")

    conferences = [
        prepared(
            Conference,
            dict(
                slug=f"bench-conference-{n:06d}",
                **texts(n, "Conference"),
                city_en=PLACES[n % len(PLACES)],
                start_date=day(n, 1950, 76),
                japan_pledge=1_000_000 + n,
            ),
            n,
        )
        for n in range(counts["conference"])
    ]
    write(Conference, conferences)
    conference_ids = ids(Conference, "bench-conference-")

    sectors = [choice for choice, _label in AidProgram.Sector.choices]
    programmes = [
        prepared(
            AidProgram,
            dict(
                slug=f"bench-programme-{n:06d}",
                **texts(n, "Programme"),
                sector=sectors[n % len(sectors)],
                activity_status=str(1 + n % 6),
                start_date=day(n, 1960, 66),
                amount=500_000 + n,
                pledge_id=conference_ids[n % len(conference_ids)] if n % 3 == 0 else None,
            ),
            n,
        )
        for n in range(counts["aidprogram"])
    ]
    write(AidProgram, programmes)
    programme_ids = ids(AidProgram, "bench-programme-")

    types = [choice for choice, _label in Event.Type.choices]
    events = [
        prepared(
            Event,
            dict(
                slug=f"bench-event-{n:06d}",
                **texts(n, "Event"),
                location_en=PLACES[n % len(PLACES)],
                event_type=types[n % len(types)],
                start_date=day(n),
                milestone=n % 50 == 0,
                conference_id=conference_ids[n % len(conference_ids)] if n % 20 == 0 else None,
            ),
            n,
        )
        for n in range(counts["event"])
    ]
    write(Event, events)
    event_ids = ids(Event, "bench-event-")

    # Citations: every record at least one, the rest spread over events.
    subjects = [("conference", pk) for pk in conference_ids] + [("aidprogram", pk) for pk in programme_ids]
    subjects += [("event", pk) for pk in event_ids]
    citations = []
    for n in range(counts["citation"]):
        field, pk = subjects[n] if n < len(subjects) else ("event", event_ids[n % len(event_ids)])
        citations.append({f"{field}_id": pk, "source_id": source_ids[n % len(source_ids)], "locator": f"p. {n + 1}"})
    write(Citation, citations)

    disagreements = [
        {
            "slug": f"bench-disagreement-{n:06d}",
            "event_id": event_ids[n * 100],
            "question": "When did it happen?",
            "question_en": "When did it happen?",
            "question_ja": "いつ起きたか。",
            "question_fa_af": "چه وقت رخ داد؟",
            "question_ps": "کله پېښ شو؟",
        }
        for n in range(len(event_ids) // 100)
    ]
    write(Disagreement, disagreements)
    claims = []
    for n, disagreement in enumerate(ids(Disagreement, "bench-disagreement-")):
        for side in range(2):
            claims.append(
                {
                    "disagreement_id": disagreement,
                    "source_id": source_ids[(n * 2 + side) % len(source_ids)],
                    "value": str(1930 + side),
                    **{f"value_{code}": str(1930 + side) for code in ("en", "ja", "fa_af", "ps")},
                    "preferred": side == 0,
                }
            )
    write(Claim, claims)
    counts["disagreement"], counts["claim"] = len(disagreements), len(claims)
    counts["milestone"] = sum(1 for event in events if event["milestone"])
    return counts


def settle():
    """Statistics for the planner (and, on PostgreSQL, the visibility map that lets
    it read an index alone), as a database that has lived a while would have: the
    large set once generated, and the seed once imported, so that both sizes are
    measured alike."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def main():
    if sys.argv[1:] == ["--settle"]:  # the database as it is, the seed (bench/pages.py)
        settle()
        print(json.dumps({"settled": connection.vendor}))
        return
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    started = time.perf_counter()
    # The full-text index is built once at the end: faster than row by row.
    drop_search_index(connection)
    with transaction.atomic():
        counts = generate(scale)
    ensure_search_index(connection)
    settle()
    print(json.dumps({"counts": counts, "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
