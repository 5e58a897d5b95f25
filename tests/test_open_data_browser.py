"""Open data in a real browser. A page on another origin loads the TimelineJS
download, as an embedding TimelineJS does (fetch, no credentials): the download
answers with Access-Control-Allow-Origin: *, and the site's HTML pages stay
unreadable there. A record page's JSON-LD is data the page's strict
Content-Security-Policy does not object to."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = [pytest.mark.browser]

FETCH = """async (url) => {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    return {refused: String(error)};
  }
  const data = await response.json();
  return {events: data.events.length, first: data.events[0].text.text, total: response.headers.get('X-Total-Count')};
}"""


class Elsewhere(BaseHTTPRequestHandler):
    """Another origin: one empty page, on another port of this machine."""

    def do_GET(self):  # noqa: N802 - the name http.server calls
        body = b"<!doctype html><html lang='en'><title>Elsewhere</title><p>Another site.</p></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def elsewhere():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_another_origin_loads_the_timelinejs_download(page, live_server, seeded, elsewhere):
    with translation.override("ja"):
        timeline = reverse("history:timeline")
    page.goto(elsewhere)
    loaded = page.evaluate(FETCH, f"{live_server.url}{timeline}?format=timelinejs")
    assert "refused" not in loaded, loaded
    assert loaded["events"] > 50 and loaded["total"] == str(loaded["events"])
    assert "続きを読む" in loaded["first"]
    # The control: the HTML page carries no such header, so the browser refuses the
    # same fetch before any body is read.
    assert "Failed to fetch" in page.evaluate(FETCH, f"{live_server.url}{timeline}")["refused"]


def test_a_record_pages_json_ld_is_read_without_a_policy_violation(page, live_server, seeded):
    from history.models import Event

    with translation.override("en"):
        path = Event.objects.published().order_by("slug").first().get_absolute_url()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if message.type == "error" else None)
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP ' + e.violatedDirective))"
    )
    page.goto(live_server.url + path)
    data = page.evaluate("() => JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
    assert data["mainEntity"]["@type"] == "Event"
    assert violations == []
