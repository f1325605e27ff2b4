"""A calendar server on loopback for the imports to fetch, and networks with admins."""

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from calendars.models import CalendarFeed
from tests.deliberation.conftest import network_with_admin


class Route:
    """What the server answers at one path; `requests` keeps the headers of each request."""

    def __init__(self, body=b"", *, status=200, headers=None, etag="", delay=0.0, send_length=True):
        self.body, self.status, self.headers = body, status, dict(headers or {})
        self.etag, self.delay, self.send_length = etag, delay, send_length
        self.requests = []


class CalendarServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        handler = type("Handler", (_Handler,), {"server_state": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def serve(self, path: str, body=b"", **kwargs) -> str:
        self.routes[path] = Route(body.encode() if isinstance(body, str) else body, **kwargs)
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    server_state: CalendarServer

    def log_message(self, *args):
        pass

    def do_GET(self):
        route = self.server_state.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        route.requests.append(dict(self.headers))
        if route.etag and self.headers.get("If-None-Match") == route.etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(route.status)
        headers = {"Content-Type": "text/calendar; charset=utf-8", **route.headers}
        if route.etag:
            headers["ETag"] = route.etag
        if route.send_length and "Content-Length" not in headers:
            headers["Content-Length"] = str(len(route.body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if route.delay:
            # A slow server: the body trickles out, a little at a time.
            for byte in route.body:
                time.sleep(route.delay)
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return
        else:
            self.wfile.write(route.body)


@pytest.fixture
def calendar_server():
    server = CalendarServer()
    server.thread.start()
    yield server
    server.httpd.shutdown()
    server.httpd.server_close()


@pytest.fixture
def network(db):
    return network_with_admin("alpha")[0]


def feed_for(network, url, **fields) -> CalendarFeed:
    return CalendarFeed.objects.create(network=network, url=url, **fields)


def ics(*events: str, extra: str = "") -> str:
    """An iCalendar file holding `events` (each the lines inside one VEVENT)."""
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//Calendar//EN\r\n"
        f"{extra}{body}END:VCALENDAR\r\n"
    )


def stamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def vevent(uid: str, start: dt.datetime, *, hours=2, summary="Meeting", lines="") -> str:
    return (
        f"UID:{uid}\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:{stamp(start)}\r\n"
        f"DTEND:{stamp(start + dt.timedelta(hours=hours))}\r\nSUMMARY:{summary}\r\n{lines}"
    )
