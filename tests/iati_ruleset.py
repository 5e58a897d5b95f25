"""The IATI Standard ruleset (IATI-Rulesets, version-2.03, standard.json), applied
to an activity file with lxml's XPath, the rule kinds as SPEC.rst describes them.

No package ships the 2.03 ruleset with an engine for its rule kinds (pyIATI knows
the 2.01 kinds only), so this reads the JSON from ../shared/standards/ and
evaluates each case. Rules that need lists from outside the file (an `idCondition`
on the org-id.guide prefixes) cannot be decided here and are reported as skipped;
all of them are warnings."""

import datetime
import json
import re
from decimal import Decimal, InvalidOperation

from lxml import etree

TODAY = datetime.date.today()
# one_or_all: what "all" means in the cases the ruleset has.
ALL_MUST_HOLD = {
    "lang": ".//narrative[not(@xml:lang)]",
    "currency": ".//value[not(@currency)]",
    "sector": "transaction[not(sector)]",
}


def _values(context, path):
    found = context.xpath(path)
    if not isinstance(found, list):
        found = [found]
    return [item if isinstance(item, str) else (item.text or "") for item in found]


def _date(text):
    text = text.strip()
    return TODAY if text == "NOW" else datetime.date.fromisoformat(text[:10])


def _dates(context, path):
    return [TODAY] if path == "NOW" else [_date(value) for value in _values(context, path)]


def _decimal(text):
    try:
        return Decimal(text.strip())
    except InvalidOperation:
        return None


def _substitute(case, value, keys):
    case = dict(case)
    for key in keys:
        if isinstance(case.get(key), list):
            case[key] = [item.replace("$1", value) for item in case[key]]
        elif isinstance(case.get(key), str):
            case[key] = case[key].replace("$1", value)
    return case


def holds(kind, context, case):
    """True when the case holds for this context element, None when it cannot be told."""
    paths = case.get("paths", [])
    if "idCondition" in case:
        return None
    if "condition" in case and not context.xpath(f"boolean({case['condition']})"):
        return True
    if kind == "atleast_one":
        return sum(len(_values(context, path)) for path in paths) >= 1
    if kind == "no_more_than_one":
        return sum(len(_values(context, path)) for path in paths) <= 1
    if kind == "unique":
        values = [value for path in paths for value in _values(context, path)]
        return len(values) == len(set(values))
    if kind == "one_or_all":
        return bool(context.xpath(case["one"])) or not context.xpath(ALL_MUST_HOLD[case["all"]])
    if kind == "if_then":
        return not context.xpath(f"boolean({case['if']})") or context.xpath(f"boolean({case['then']})")
    if kind == "date_order":
        less, more = _dates(context, case["less"]), _dates(context, case["more"])
        return all(a <= b for a in less for b in more)
    if kind == "date_now":
        return all(date <= TODAY for date in _dates(context, case["date"]))
    if kind == "time_limit":
        starts, ends = _dates(context, case["start"]), _dates(context, case["end"])
        return all(end <= start.replace(year=start.year + 1) for start in starts for end in ends)
    if kind == "between_dates":
        starts, ends = _dates(context, case["start"]), _dates(context, case["end"])
        dates = _dates(context, case["date"])
        return all(s <= d <= e for s in starts for e in ends for d in dates)
    if kind == "regex_matches":
        return all(re.search(case["regex"], value) for path in paths for value in _values(context, path))
    if kind == "no_spaces":
        return all(value == value.strip() for path in paths for value in _values(context, path))
    if kind == "range":
        numbers = [_decimal(value) for path in paths for value in _values(context, path)]
        return all(n is not None and case["min"] <= n <= case["max"] for n in numbers)
    if kind == "strict_sum":
        numbers = [_decimal(value) for path in paths for value in _values(context, path)]
        return None not in numbers and sum(numbers) == Decimal(str(case["sum"]))
    if kind == "startswith":
        prefixes = [value for path in case["prefix"] for value in _values(context, path)]
        separator = case.get("separator", "")
        values = [value for path in paths for value in _values(context, path)]
        return all(any(value.startswith(prefix + separator) for prefix in prefixes) for value in values)
    raise ValueError(f"rule kind {kind!r} is not known to this checker")


def _cases(kind, context, body):
    """(kind, case) pairs to evaluate on a context, loops unrolled."""
    for case in body["cases"]:
        if kind != "loop":
            yield kind, case
            continue
        for value in dict.fromkeys(_values(context, case["foreach"])):
            for inner_kind, inner_body in case["do"].items():
                for inner_case in inner_body["cases"]:
                    yield inner_kind, _substitute(inner_case, value, case["subs"])


def check(document, ruleset):
    """[(rule id, severity, message, where)] for every case that does not hold, and the
    ids of the rules that could not be told."""
    tree = etree.fromstring(document) if isinstance(document, bytes) else document
    failures, skipped = [], set()
    for context_path, rules in ruleset.items():
        for context in tree.getroottree().xpath(context_path):
            for kind, body in rules.items():
                for inner_kind, case in _cases(kind, context, body):
                    result = holds(inner_kind, context, case)
                    info = case["ruleInfo"]
                    if result is None:
                        skipped.add(info["id"])
                    elif not result:
                        where = context.findtext("iati-identifier") or context.getroottree().getpath(context)
                        failures.append((info["id"], info["severity"], info["message"], where))
    return failures, skipped


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))
