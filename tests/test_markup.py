"""Whatever an editor types into a Markdown body, the rendered HTML runs nothing
in a reader's browser: no script, no event handlers, no javascript: or data: links."""

import re
from html.parser import HTMLParser

import pytest

from history.markup import render_markdown

FORBIDDEN_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "form", "input", "style", "base", "meta", "math"}

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](jav\tascript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](%6A%61%76%61%73%63%72%69%70%74:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![pic](javascript:alert(1))",
    '[click](https://example.org "title" onmouseover="alert(1)")',
    '[click](https://example.org "\\" onmouseover=\\"alert(1)")',
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<div style="position:fixed;top:0">overlay</div>',
    "<iframe src=https://evil.example></iframe>",
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name=x></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
    "```html\n<script>alert(1)</script>\n```",
    "<details open ontoggle=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">ok</a>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]


class Tags(HTMLParser):
    """The tags and attributes as a browser's parser sees them (entities decoded)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def scheme_of(url):
    """The scheme a browser gives `url` (WHATWG URL parsing: tabs and newlines
    removed, C0 controls and spaces trimmed), or None for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_renders_harmless(payload):
    html = str(render_markdown(payload))
    tags = Tags(html).found
    assert not {tag for tag, _attrs in tags} & FORBIDDEN_TAGS, html
    for _tag, attrs in tags:
        assert not [name for name in attrs if name.startswith("on")], html
        assert "style" not in attrs, html
        for name in ("href", "src", "action", "formaction"):
            if name in attrs:
                assert scheme_of(attrs[name]) in (None, "http", "https", "mailto"), html


def test_scheme_of_sees_what_a_browser_sees():
    assert scheme_of("jav\tascript:alert(1)") == "javascript"
    assert scheme_of(" \x01JavaScript:x") == "javascript"
    assert scheme_of("jav%09ascript:x") is None
    assert scheme_of("https://example.org") == "https"


def test_plain_markdown_still_renders():
    html = str(render_markdown('**Kabul** and [MOFA](https://www.mofa.go.jp/ "Ministry")\n\n- one\n- two'))
    assert "<strong>Kabul</strong>" in html
    assert 'href="https://www.mofa.go.jp/"' in html
    assert 'title="Ministry"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "<li>one</li>" in html


def test_escaped_html_is_shown_as_text():
    html = str(render_markdown("<script>alert(1)</script>"))
    assert "&lt;script&gt;" in html


def test_right_to_left_text_keeps_its_direction():
    html = str(render_markdown('<p dir="rtl">x</p>'))  # raw HTML is escaped, never interpreted
    assert "<p dir" not in html
    assert render_markdown("") == ""
