"""The renames the restructuring intends, for bench/compare_snapshots.py.

Each pair (old, new) is applied, in this order, to the BASE snapshot before it is
compared with the current tree's: to every URL, header value, body and export file
name, as a plain string replacement. Anything that still differs is a change nobody
declared. A third element, a glob on the URL or export file name ("export-*/source.*",
"/*/sources/*"), limits a pair to the entries it matches: the same old name may become
different new names in different models.

Keep each pair as specific as it can be (a whole path segment, a whole field name in
its quotes), since it is replaced everywhere; put a longer pair before a shorter one
it contains. A renamed field moves to its sorted place in the fixture exports: the
comparison sorts a renamed export again. One comment per pair says which rename it
is, e.g.:

    # Aid programmes are served under /aid-programmes/ (issue 123).
    ("/aid/", "/aid-programmes/"),
    # The fixture and export field `publisher` becomes `publishers`.
    ('"publisher":', '"publishers":'),
    # Source.kind becomes source_type, in the source export only (JSON, CSV header).
    ('"kind":', '"source_type":', "export-json/source.json"),
    (",kind,", ",source_type,", "export-csv/source.csv"),
"""

# Issue 8 (the registry of kinds, commits 7dc9572..ec6b174) renamed what follows; its
# new base templates and djhtml reindented every template, which changes only
# whitespace a browser does not render: HTML is compared modulo that whitespace.
HTML_WHITESPACE = True

RENAMES = [
    # The sources filter `kind` becomes `type` (SourceFilter, after Source.source_type).
    ("?kind=", "?type=", "/*sources/*"),
    ('name="kind"', 'name="type"', "/*sources/*"),
    ("id_kind", "id_type", "/*sources/*"),
    # List downloads are named after the kind (history.kinds: one spelling, as record
    # downloads and the admin's exports are): aidprogram-<date>.csv, event-<date>.csv.
    ('filename="aid-programmes-', 'filename="aidprogram-', "/*aid/[?]*"),
    ('filename="events-', 'filename="event-', "/*events/[?]*"),
    ('filename="conferences-', 'filename="conference-', "/*conferences/[?]*"),
    ('filename="sources-', 'filename="source-', "/*sources/[?]*"),
    # Source.kind becomes source_type in the sources list's CSV and JSON downloads.
    (",kind,", ",source_type,", "/*sources/[?]*format=csv*"),
    ('"kind":', '"source_type":', "/*sources/[?]*format=json*"),
    # AidProgram.start_kind/end_kind become start_type/end_type (downloads and fixtures).
    ("start_kind", "start_type"),
    ("end_kind", "end_type"),
    # The timeline's line label: class timeline-kind becomes timeline-label (pages, site.css).
    ("timeline-kind", "timeline-label"),
    # A timeline entry's class names the kind by its model: kind-aid becomes kind-aidprogram.
    ("kind-aid", "kind-aidprogram"),
    # Citation.aid_program and Disagreement.aid_program become aidprogram (fixtures).
    ('"aid_program":', '"aidprogram":', "export-json/*"),
    ("\ufeffaid_program,", "\ufeffaidprogram,", "export-csv/*"),
    # Event.aid_programs becomes aidprograms (fixtures).
    ('"aid_programs":', '"aidprograms":', "export-json/event.json"),
    ("\ufeffaid_programs,", "\ufeffaidprograms,", "export-csv/event.csv"),
    # Participation.program becomes aidprogram (fixtures).
    ('"program":', '"aidprogram":', "export-json/participation.json"),
    (",program,", ",aidprogram,", "export-csv/participation.csv"),
    # Organization.kind becomes organization_type (fixtures).
    ('"kind":', '"organization_type":', "export-json/organization.json"),
    (",kind,", ",organization_type,", "export-csv/organization.csv"),
    # Source.kind becomes source_type (fixtures).
    ('"kind":', '"source_type":', "export-json/source.json"),
    (",kind,", ",source_type,", "export-csv/source.csv"),
]
