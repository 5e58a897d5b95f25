"""Proof that a restructuring changed nothing the public sees (not a test): snapshot a
base commit and the current working tree with bench/snapshot.py, apply the declared
renames to the base, and compare the two byte for byte.

    .venv/bin/python bench/compare_snapshots.py [BASE_REF] [--renames FILE] [--[no-]html-whitespace]
        [--fixtures DIR] [--keep DIR | --reuse DIR] [--max-diffs N] [--diff-lines N] [--serial]

BASE_REF (default 7dc9572, the commit before the restructuring) is checked out in a
temporary detached worktree that uses this tree's .venv, and removed at the end. The
current tree is the checkout this script lives in, uncommitted changes included. Both
snapshots are taken by this tree's bench/snapshot.py, side by side (one per core).

Fixtures: each tree imports its own fixtures/ (the current tree may have renamed a
field the base fixtures carry, so one set of files may not import into both). The
fixture files must therefore hold the same content apart from the declared renames;
the comparison checks it, since export_fixtures of each tree (which reproduces its
fixtures/ byte for byte) is part of the snapshot. --fixtures DIR imports DIR into both
instead.

Renames: RENAMES in bench/renames.py (or --renames FILE), a list of (old, new) string
pairs applied in order to the base snapshot's URLs, headers, bodies and export file
names; a third element, a glob such as "export-*/source.*" or "/*/sources/*", limits a
pair to the entries (URLs, export files) it matches. A fixture export whose fields were
renamed is then sorted again (JSON keys, CSV columns), since a renamed field moves to
its sorted place.

HTML whitespace: --html-whitespace (or HTML_WHITESPACE = True in the renames file)
compares HTML bodies modulo the whitespace a browser does not render (see
rendered_whitespace): text, attributes, the order of elements, data still compare.

Exit status 0 when the snapshots are identical, 1 when they differ, 2 when a snapshot
could not be taken or a page in either answered with a server error. --keep DIR keeps
both snapshots (DIR/base, DIR/current) to look at; --reuse DIR compares such kept
snapshots again without taking new ones (to work on the renames in seconds).
"""

import argparse
import csv
import difflib
import fnmatch
import io
import json
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = Path(__file__).resolve().parent / "snapshot.py"
DEFAULT_BASE = "7dc9572"
EXPORTS = ("export-json", "export-csv")
# Index columns that describe the answer; sha256 and file follow from the body and the URL.
COMPARED_COLUMNS = ("status", "content-type", "content-disposition", "location", "content-language", "normalised")
LONG_LINE = 300
CSV_BOM = "\ufeff"


# --- Taking the two snapshots ---------------------------------------------------------


def git(*args, cwd=ROOT):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def add_base_worktree(ref, folder):
    """A detached checkout of ref in folder, using this tree's .venv (the same pinned
    packages; what is compared is the project's code, not its environment)."""
    git("worktree", "add", "--detach", str(folder), ref)
    venv = ROOT / ".venv"
    if venv.exists():
        (folder / ".venv").symlink_to(venv.resolve(), target_is_directory=True)


def remove_worktree(folder):
    subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT, capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run(["git", "worktree", "prune"], cwd=ROOT, capture_output=True)


def take_snapshots(jobs, serial):
    """Run bench/snapshot.py for each (tree, outdir, fixtures), in parallel unless serial.
    False if any failed."""
    commands = []
    for tree, outdir, fixtures in jobs:
        command = [sys.executable, str(SNAPSHOT), str(tree), str(outdir)]
        commands.append(command + (["--fixtures", str(fixtures)] if fixtures else []))
    if serial:
        return all(subprocess.run(command).returncode == 0 for command in commands)
    running = [subprocess.Popen(command) for command in commands]
    return all([process.wait() == 0 for process in running])


# --- Reading a snapshot and applying the renames --------------------------------------


class Snapshot:
    """A snapshot as entries: URL or export file name -> (columns, body file)."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.entries = {}
        with open(self.folder / "index.tsv", encoding="utf-8") as index:
            header = index.readline().rstrip("\n").split("\t")
            for line in index:
                row = dict(zip(header, line.rstrip("\n").split("\t"), strict=True))
                self.entries[row["url"]] = ({c: row[c] for c in COMPARED_COLUMNS}, self.folder / row["file"])
        for export in EXPORTS:
            for path in sorted((self.folder / export).iterdir()):
                self.entries[f"{export}/{path.name}"] = ({}, path)

    def body(self, key):
        return self.entries[key][1].read_bytes()


class Renamed:
    """A snapshot seen through the declared renames: keys, columns and bodies rewritten,
    so that the base reads as the current tree should."""

    def __init__(self, snapshot, renames):
        self.snapshot = snapshot
        self.renames = renames
        self.original = {}
        self.entries = {}
        for key, (columns, path) in snapshot.entries.items():
            new_key = self.text(key, key)
            if new_key in self.entries:
                raise SystemExit(f"compare: renames map two base entries onto {new_key}")
            self.original[new_key] = key
            self.entries[new_key] = ({c: self.text(key, v) for c, v in columns.items()}, path)

    def pairs(self, key):
        """The renames that apply to the base entry key (all, or those whose scope matches)."""
        return [(old, new) for old, new, scope in self.renames if scope is None or fnmatch.fnmatchcase(key, scope)]

    def text(self, key, value):
        for old, new in self.pairs(key):
            value = value.replace(old, new)
        return value

    def body(self, key):
        base_key = self.original[key]
        original = self.snapshot.body(base_key)
        content = original
        for old, new in self.pairs(base_key):
            content = content.replace(old.encode(), new.encode())
        if content != original and key.startswith(EXPORTS):
            content = resorted(key, original, content)
        return content


# The fixture exports keep JSON keys and CSV columns sorted, so a renamed field moves to
# another place in the file; a string replacement alone cannot say so. The renamed file
# is sorted again, but only when the base file is in exactly that canonical form
# (writing it again reproduces it byte for byte): no other difference is hidden.


def dump_json(data):
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def read_csv(content):
    return list(csv.reader(io.StringIO(content.decode().removeprefix(CSV_BOM), newline="")))


def write_csv(rows):
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return (CSV_BOM + buffer.getvalue()).encode()


def resorted(key, original, renamed):
    try:
        if key.endswith(".json") and dump_json(json.loads(original)) == original:
            return dump_json(json.loads(renamed))
        rows = read_csv(original)
        if key.endswith(".csv") and rows and rows[0] == sorted(rows[0]) and write_csv(rows) == original:
            rows = read_csv(renamed)
            order = sorted(range(len(rows[0])), key=lambda column: rows[0][column])
            return write_csv([[row[column] for column in order] for row in rows])
    except (ValueError, IndexError):
        pass  # not the canonical form after all: compare the renamed bytes as they are
    return renamed


# --- HTML modulo the whitespace a browser does not render ------------------------------
#
# Reindented templates change only whitespace that a browser collapses. With
# --html-whitespace, HTML bodies are compared after these steps, and nothing else:
#   1. outside <pre>, <textarea>, <script> and <style> (kept byte for byte), each run of
#      whitespace in text becomes one space;
#   2. inside a tag, each run of whitespace between attributes becomes one space and any
#      before the closing > goes; attribute values are kept as they are;
#   3. a space next to the start or end tag of a block-level element (p, li, dd, div,
#      option, ...) goes, as a browser drops it;
#   4. a space just inside a phrasing element (a, span, strong, time, ...) moves out of
#      it and meets its neighbour: "<a> x </a>" and " <a>x</a> " render alike.
# So text, attributes and their values, the order of elements, and whether two words
# or two inline elements have a space between them, still compare.

VERBATIM = re.compile(rb"<(pre|textarea|script|style)\b.*?</\1\s*>", re.S | re.I)
TAG_BODY = rb"""(?:[^>"']|"[^"]*"|'[^']*')*"""
TAG = re.compile(rb"<[A-Za-z/!]" + TAG_BODY + rb">")
IN_TAG = re.compile(rb"""("[^"]*"|'[^']*')|\s+""")
SPACE = re.compile(rb"\s+")
BLOCK = "html|head|body|title|meta|link|header|footer|main|nav|section|article|aside|div|p|ul|ol|li|dl|dt|dd|h[1-6]"
BLOCK += "|table|thead|tbody|tfoot|tr|td|th|caption|form|fieldset|legend|figure|figcaption|blockquote|hr|br|details"
BLOCK += "|summary|select|option|address|!doctype"
PHRASING = "a|abbr|b|bdi|bdo|cite|code|data|em|i|kbd|label|mark|q|s|small|span|strong|sub|sup|time|u|var"
BLOCK_TAG = re.compile(rb"</?(?:" + BLOCK.encode() + rb")\b", re.I)
PHRASING_START = re.compile(rb"<(?:" + PHRASING.encode() + rb")\b", re.I)
PHRASING_END = re.compile(rb"</(?:" + PHRASING.encode() + rb")\b", re.I)


def rendered_whitespace(content):
    """content with its whitespace as a browser renders it (steps 1 to 4 above)."""
    pieces, last = [], 0
    for match in VERBATIM.finditer(content):
        pieces += [collapse(content[last : match.start()]), match[0]]
        last = match.end()
    return b"".join([*pieces, collapse(content[last:])])


def collapse(content):
    """Steps 1 to 4 on markup without verbatim elements: texts[i] comes before tags[i]."""
    texts, tags, last = [], [], 0
    for match in TAG.finditer(content):
        texts.append(SPACE.sub(b" ", content[last : match.start()]))
        tags.append(re.sub(rb" (/?>)$", rb"\1", IN_TAG.sub(lambda part: part[1] or b" ", match[0])))
        last = match.end()
    texts.append(SPACE.sub(b" ", content[last:]))
    moved = True
    while moved:  # a space moved out of an element may meet another, or a block's tag
        moved = False
        for i, tag in enumerate(tags):
            before, after = texts[i], texts[i + 1]
            if BLOCK_TAG.match(tag):
                before, after = before.removesuffix(b" "), after.removeprefix(b" ")
            elif PHRASING_START.match(tag) and after.startswith(b" "):
                before, after = before.removesuffix(b" ") + b" ", after[1:]
            elif PHRASING_END.match(tag) and before.endswith(b" "):
                before, after = before[:-1], b" " + after.removeprefix(b" ")
            moved = moved or (before, after) != (texts[i], texts[i + 1])
            texts[i], texts[i + 1] = before, after
    return b"".join(text + tag for text, tag in zip(texts, [*tags, b""], strict=True))


class Rendered:
    """A snapshot whose HTML bodies are seen through rendered_whitespace."""

    def __init__(self, snapshot):
        self.snapshot, self.entries = snapshot, snapshot.entries

    def body(self, key):
        content = self.snapshot.body(key)
        is_html = self.entries[key][0].get("content-type", "").startswith("text/html")
        return rendered_whitespace(content) if is_html else content


def load_renames(path):
    """RENAMES from a Python file: (old, new) or (old, new, scope) string tuples, as
    (old, new, scope or None); and its HTML_WHITESPACE (False when absent)."""
    declared = runpy.run_path(str(path))
    renames = declared.get("RENAMES")
    valid = isinstance(renames, list | tuple) and all(
        isinstance(rename, tuple | list) and len(rename) in (2, 3) and all(isinstance(s, str) and s for s in rename)
        for rename in renames
    )
    if not valid:
        raise SystemExit(f"compare: {path} must define RENAMES as (old, new[, scope]) tuples of non-empty strings")
    pairs = [(rename[0], rename[1], rename[2] if len(rename) == 3 else None) for rename in renames]
    return pairs, declared.get("HTML_WHITESPACE") is True


# --- Comparing ------------------------------------------------------------------------


def compare(base, current):
    """The differences, as (only in base, only in current, column changes, body changes)."""
    base_keys, current_keys = set(base.entries), set(current.entries)
    common = sorted(base_keys & current_keys)
    columns = []
    for key in common:
        before, after = base.entries[key][0], current.entries[key][0]
        changed = [(c, before[c], after[c]) for c in before if before[c] != after.get(c)]
        if changed:
            columns.append((key, changed))
    bodies = [key for key in common if base.body(key) != current.body(key)]
    return sorted(base_keys - current_keys), sorted(current_keys - base_keys), columns, bodies


def display_lines(content):
    """Lines for a readable diff: the sitemap and the Atom feed are one long line, so
    long lines are broken between tags, and every line is cut short."""
    lines = []
    for line in content.decode("utf-8", errors="replace").splitlines():
        pieces = re.sub("> ?<", lambda m: m[0][:-1] + "\n<", line).splitlines() if len(line) > LONG_LINE else [line]
        lines.extend(piece if len(piece) <= LONG_LINE else piece[:LONG_LINE] + " …" for piece in pieces)
    return lines


def body_diff(key, before, after, limit):
    name = key if key.startswith("/") else f"/{key}"
    diff = difflib.unified_diff(
        display_lines(before), display_lines(after), f"base{name}", f"current{name}", n=1, lineterm=""
    )
    lines = [line for _, line in zip(range(limit + 1), diff, strict=False)]
    return lines[:limit] + ["    …"] * (len(lines) > limit)


def report(base, current, differences, max_diffs, diff_lines):
    only_base, only_current, columns, bodies = differences
    listed = lambda items: [f"  {item}" for item in items[:max_diffs]] + more(items, max_diffs)  # noqa: E731
    out = []
    if only_base:
        out += [f"Only in base ({len(only_base)}):", *listed(only_base)]
    if only_current:
        out += [f"Only in current ({len(only_current)}):", *listed(only_current)]
    if columns:
        out.append(f"Status or header differences ({len(columns)}):")
        for key, changed in columns[:max_diffs]:
            out += [f"  {key}"] + [f"      {name}: {old!r} -> {new!r}" for name, old, new in changed]
        out += more(columns, max_diffs)
    if bodies:
        out.append(f"Body differences ({len(bodies)}):")
        for key in bodies[:max_diffs]:
            diff = body_diff(key, base.body(key), current.body(key), diff_lines)
            out += [f"  {key}"] + ["      " + line for line in diff]
        out += more(bodies, max_diffs)
    return out


def more(items, shown):
    return [f"  … and {len(items) - shown} more"] if len(items) > shown else []


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_ref", nargs="?", default=DEFAULT_BASE, help=f"commit to compare with ({DEFAULT_BASE})")
    parser.add_argument("--renames", type=Path, default=Path(__file__).resolve().parent / "renames.py")
    parser.add_argument("--fixtures", type=Path, help="import these fixtures into both trees instead of their own")
    parser.add_argument("--keep", type=Path, help="keep the snapshots in DIR/base and DIR/current")
    parser.add_argument("--max-diffs", type=int, default=20, help="differences listed per kind (default 20)")
    parser.add_argument("--diff-lines", type=int, default=12, help="diff lines shown per body (default 12)")
    parser.add_argument("--serial", action="store_true", help="one snapshot after the other")
    parser.add_argument("--reuse", type=Path, help="compare DIR/base and DIR/current kept by --keep; take none")
    parser.add_argument(
        "--html-whitespace",
        action=argparse.BooleanOptionalAction,
        help="compare HTML modulo the whitespace a browser does not render (default: HTML_WHITESPACE of --renames)",
    )
    args = parser.parse_args(argv)

    renames, html_whitespace = load_renames(args.renames)
    if args.html_whitespace is not None:
        html_whitespace = args.html_whitespace
    seen = Rendered if html_whitespace else (lambda snapshot: snapshot)
    if args.reuse:
        base, current = seen(Renamed(Snapshot(args.reuse / "base"), renames)), seen(Snapshot(args.reuse / "current"))
        return finish(base, current, renames, args, f"kept in {args.reuse}")
    begin = time.monotonic()
    try:
        commit = git("rev-parse", "--short", f"{args.base_ref}^{{commit}}")
    except subprocess.CalledProcessError:
        print(f"compare: {args.base_ref} is not a commit", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="compare-snapshots-"))
    store = args.keep.resolve() if args.keep else scratch  # --keep: outside scratch, which always goes
    fixtures = args.fixtures.resolve() if args.fixtures else None
    try:
        add_base_worktree(commit, scratch / "base-tree")
        jobs = [(scratch / "base-tree", store / "base", fixtures), (ROOT, store / "current", fixtures)]
        if not take_snapshots(jobs, args.serial):
            print("compare: a snapshot failed", file=sys.stderr)
            return 2
        base, current = seen(Renamed(Snapshot(store / "base"), renames)), seen(Snapshot(store / "current"))
        where = f"base {args.base_ref} ({commit}), current {ROOT}"
        status = finish(base, current, renames, args, where)
    finally:
        remove_worktree(scratch / "base-tree")
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"compared in {time.monotonic() - begin:.1f}s" + (f"; snapshots kept in {store}" if args.keep else ""))
    return status


def finish(base, current, renames, args, where):
    """Print the report; the exit status (0 identical, 1 different, 2 when a tree's
    pages answered with a server error: no page should, and two trees that both
    fail read as identical)."""
    lines = report(base, current, compare(base, current), args.max_diffs, args.diff_lines)
    modulo = "; HTML modulo unrendered whitespace" if isinstance(base, Rendered) else ""
    print(f"{where}: {len(base.entries)} and {len(current.entries)} entries; {len(renames)} renames applied{modulo}")
    print("\n".join(lines) if lines else "IDENTICAL")
    failed = {name: server_errors(snapshot) for name, snapshot in (("base", base), ("current", current))}
    for name, urls in failed.items():
        if urls:
            print(f"{name}: {len(urls)} pages answered with a server error (first {urls[0]}): no comparison")
    if any(failed.values()):
        return 2
    return 1 if lines else 0


def server_errors(snapshot):
    """The URLs of a snapshot that answered 5xx."""
    entries = snapshot.entries.items()
    return sorted(key for key, (columns, _body) in entries if columns.get("status", "").startswith("5"))


if __name__ == "__main__":
    sys.exit(main())
