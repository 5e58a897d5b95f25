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

RENAMES = [
    # (none yet)
]
