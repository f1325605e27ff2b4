"""Fetching a calendar: only http(s), only addresses on the public internet unless the settings
allow loopback and private ones (as the tests do), redirects checked again at every hop, and
the download bounded in size and time; a 304 answers "not modified"."""

import pytest

from calendars import fetching


def test_an_ordinary_answer_keeps_the_servers_etag_and_date(calendar_server):
    url = calendar_server.serve(
        "/cal.ics", "BEGIN:VCALENDAR", etag='"v1"',
        headers={"Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"},
    )  # fmt: skip
    fetched = fetching.fetch(url)
    assert fetched.content == b"BEGIN:VCALENDAR"
    assert fetched.etag == '"v1"'
    assert fetched.last_modified == "Tue, 01 Dec 2026 10:00:00 GMT"


def test_a_conditional_get_sends_what_the_server_said_and_takes_304(calendar_server):
    url = calendar_server.serve("/cal.ics", "BEGIN:VCALENDAR", etag='"v1"')
    fetched = fetching.fetch(url, etag='"v1"', last_modified="Tue, 01 Dec 2026 10:00:00 GMT")
    assert fetched.content is None
    sent = calendar_server.routes["/cal.ics"].requests[-1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 01 Dec 2026 10:00:00 GMT"


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/cal.ics", "file:///etc/passwd", "javascript:alert(1)", "https:///cal.ics",
     "https://user:secret@example.org/cal.ics", "https://example.org:port/cal.ics"],
)  # fmt: skip
def test_addresses_that_are_not_web_addresses_are_refused_before_any_lookup(url):
    with pytest.raises(fetching.FetchError):
        fetching.fetch(url)


def test_production_takes_https_only(settings, calendar_server):
    settings.CALENDAR_IMPORT_HTTPS_ONLY = True
    with pytest.raises(fetching.FetchError, match="https://"):
        fetching.fetch(calendar_server.serve("/cal.ics", "BEGIN:VCALENDAR"))


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "::1", "fc00::1",
     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "0.0.0.0", "169.254.169.254", "fe80::1", "224.0.0.1",  # noqa: S104
     "ff02::1", "240.0.0.1"],
)  # fmt: skip
def test_private_loopback_link_local_multicast_and_reserved_addresses_are_refused(address):
    assert fetching.refused_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:4700:4700::1111", "8.8.8.8"])
def test_public_addresses_are_not(address):
    assert not fetching.refused_address(address)


@pytest.mark.parametrize("address", ["169.254.169.254", "fe80::1", "224.0.0.1", "0.0.0.0"])  # noqa: S104
def test_link_local_and_multicast_are_refused_even_where_loopback_is_allowed(address):
    assert fetching.refused_address(address, allow_private=True)
    assert not fetching.refused_address("127.0.0.1", allow_private=True)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_when_the_setting_is_off(settings, calendar_server, host):
    settings.CALENDAR_IMPORT_ALLOW_PRIVATE_ADDRESSES = False
    url = calendar_server.serve("/cal.ics", "BEGIN:VCALENDAR").replace("127.0.0.1", host)
    with pytest.raises(fetching.FetchError, match="not on the public internet"):
        fetching.fetch(url)
    assert calendar_server.routes["/cal.ics"].requests == []


def test_a_redirect_is_followed_and_checked_again(calendar_server):
    target = calendar_server.serve("/real.ics", "BEGIN:VCALENDAR")
    url = calendar_server.serve("/old.ics", status=301, headers={"Location": "/real.ics"})
    assert fetching.fetch(url).content == b"BEGIN:VCALENDAR"
    assert target.endswith("/real.ics")


@pytest.mark.parametrize(
    "location",
    ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/",
     "http://[fe80::1]/cal.ics", "ftp://127.0.0.1/cal.ics"],
)  # fmt: skip
def test_a_redirect_to_an_address_never_fetched_is_refused(calendar_server, location):
    url = calendar_server.serve("/cal.ics", status=302, headers={"Location": location})
    with pytest.raises(fetching.FetchError):
        fetching.fetch(url)


def test_redirects_stop_after_a_few(calendar_server):
    for hop in range(6):
        calendar_server.serve(f"/{hop}.ics", status=302, headers={"Location": f"/{hop + 1}.ics"})
    calendar_server.serve("/6.ics", "BEGIN:VCALENDAR")
    with pytest.raises(fetching.FetchError, match="redirected more than"):
        fetching.fetch(calendar_server.base + "/0.ics")


def test_a_calendar_over_the_size_limit_is_refused(settings, calendar_server):
    settings.CALENDAR_IMPORT_MAX_BYTES = 1000
    with pytest.raises(fetching.FetchError, match="larger than"):
        fetching.fetch(calendar_server.serve("/big.ics", "X" * 1001))


def test_the_size_limit_holds_when_the_server_gives_no_length(settings, calendar_server):
    settings.CALENDAR_IMPORT_MAX_BYTES = 1000
    url = calendar_server.serve("/big.ics", "X" * 100_000, send_length=False)
    with pytest.raises(fetching.FetchError, match="larger than"):
        fetching.fetch(url)


def test_a_slow_server_is_given_up_on(settings, calendar_server):
    settings.CALENDAR_IMPORT_TIMEOUT = 0.5
    url = calendar_server.serve("/slow.ics", "BEGIN:VCALENDAR" * 10, delay=0.05)
    with pytest.raises(fetching.FetchError, match="too long"):
        fetching.fetch(url)


def test_an_error_status_is_reported(calendar_server):
    with pytest.raises(fetching.FetchError, match="answered 500"):
        fetching.fetch(calendar_server.serve("/cal.ics", "oops", status=500))
    with pytest.raises(fetching.FetchError, match="answered 404"):
        fetching.fetch(calendar_server.base + "/missing.ics")
