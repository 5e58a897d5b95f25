"""What may leave the site as it is, whatever path stored it.

Forms check what editors type, but a value can also arrive through loaddata, SQL
or the shell. So every writer checks at output time:

- url_may_go_out(url): a link or an exported address is http(s) only, with a host,
  no credentials, no control, format or space characters. Anything else
  (javascript:, data:, a relative path, "http://user:pw@host") goes out as nothing.
- spreadsheet_cell(value): a CSV cell a spreadsheet would run as a formula is
  neutralised as OWASP recommends (a leading apostrophe); read_spreadsheet_cell()
  undoes it, so that import(export(value)) == value.
- xml_text(value): text without the characters XML 1.0 cannot carry at all.
"""

import re
import unicodedata
from urllib.parse import urlsplit

URL_SCHEMES = ("http", "https")
MAX_URL_LENGTH = 2000
# OWASP, "CSV Injection": cells starting with these are run as formulas by Excel,
# LibreOffice and Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
CELL_ESCAPE = "'"
# XML 1.0 Char production: tab, newline, carriage return and U+0020 upwards, less
# the surrogates and U+FFFE/U+FFFF.
NOT_XML_CHAR = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _unprintable(text):
    """Control (Cc), format (Cf, e.g. bidirectional overrides) or space characters,
    none of which belongs in an address. An ASCII text has them only as controls
    and the space, which str.isprintable tells at once (a record page checks a few
    hundred characters of addresses, one by one in 0.1 ms)."""
    if text.isascii():
        return not text.isprintable() or " " in text
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in text)


def url_may_go_out(url):
    """True when `url` may be linked to or exported: an absolute http(s) address with
    a host, without user name or password, without spaces or invisible characters."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL_LENGTH:
        return False
    if _unprintable(url) or "\\" in url:
        return False
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return False
    if parts.scheme.lower() not in URL_SCHEMES or not hostname:
        return False
    return parts.username is None and parts.password is None and "@" not in parts.netloc


def outgoing_url(url):
    """`url` when it may go out, "" otherwise."""
    return url if url_may_go_out(url) else ""


def spreadsheet_cell(value):
    """A CSV cell a spreadsheet will show as text: a value starting with a formula
    trigger gets a leading apostrophe, and so does one that already starts with an
    apostrophe, so that read_spreadsheet_cell() gives back exactly the value."""
    text = "" if value is None else str(value)
    if text.startswith((*FORMULA_TRIGGERS, CELL_ESCAPE)):
        return CELL_ESCAPE + text
    return text


def read_spreadsheet_cell(cell):
    """The value spreadsheet_cell() neutralised."""
    return cell[1:] if cell.startswith(CELL_ESCAPE) else cell


def xml_text(value):
    """Text XML 1.0 can carry: characters outside its Char production (NUL and the
    other C0 controls but tab and line ends, lone surrogates) are left out."""
    return NOT_XML_CHAR.sub("", str(value))
