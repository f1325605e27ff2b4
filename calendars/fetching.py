"""Fetching a calendar from the address a network gave, safe against an address that points
inside our own network: only http(s) (https alone in production), every address the host
resolves to checked, the connection made to the checked address (no second lookup for a
rebinding DNS server to answer differently), each redirect checked again, and the download
bounded in size and time. A conditional GET: the server may answer 304, not modified."""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

MAX_REDIRECTS = 3
REDIRECTS = {301, 302, 303, 307, 308}
CHUNK_BYTES = 64 * 1024
USER_AGENT = "FreeAssociationCalendarImport/1.0"


class FetchError(Exception):
    """The calendar could not be fetched; the message says why, in words for its editors."""


@dataclass(frozen=True)
class Fetched:
    # None when the server answered 304: nothing changed since the ETag or date we sent.
    content: bytes | None
    etag: str = ""
    last_modified: str = ""


def url_parts(url: str):
    """The address split up, or FetchError if it is not one we fetch (checked before any DNS)."""
    parts = urlsplit(url.strip())
    schemes = {"https"} if settings.CALENDAR_IMPORT_HTTPS_ONLY else {"https", "http"}
    if parts.scheme.lower() not in schemes:
        raise FetchError("The calendar's address must start with https://.")
    if not parts.hostname:
        raise FetchError("The calendar's address has no host name.")
    if parts.username or parts.password:
        raise FetchError("Give the calendar's address without a user name or password in it.")
    try:
        parts.port  # noqa: B018 -- raises on a port that is not a number
    except ValueError as error:
        raise FetchError("The calendar's address has a port that is not a number.") from error
    return parts


def refused_address(address: str, *, allow_private: bool = False) -> bool:
    """Whether `address` is one we never fetch from: link-local (a cloud's metadata service),
    multicast, reserved or unspecified; and, unless `allow_private`, private, loopback or
    otherwise not on the public internet. An IPv4 address inside IPv6 is judged as itself."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_link_local or ip.is_multicast or ip.is_reserved or ip.is_unspecified:
        return True
    return not allow_private and (not ip.is_global or ip.is_private or ip.is_loopback)


def checked_address(host: str, port: int) -> str:
    """The address to connect to: `host` resolved, refused if any address it has is refused
    (loopback and private ones are allowed only where the settings say, for the tests' own
    server and the embedded demo's)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise FetchError(f"The host {host} could not be found.") from error
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"The host {host} could not be found.")
    allow_private = settings.CALENDAR_IMPORT_ALLOW_PRIVATE_ADDRESSES
    if any(refused_address(address, allow_private=allow_private) for address in addresses):
        raise FetchError(f"The host {host} is not on the public internet: it is not fetched.")
    return addresses[0]


def _pool(scheme: str, host: str, address: str, port: int, timeout: float):
    timeouts = urllib3.Timeout(connect=min(timeout, 10), read=timeout)
    if scheme == "https":
        # The certificate is checked against the host name, though we connect to its address.
        return urllib3.HTTPSConnectionPool(
            address, port, timeout=timeouts, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
        )  # fmt: skip
    return urllib3.HTTPConnectionPool(address, port, timeout=timeouts, retries=False, maxsize=1)


def _read_bounded(response, *, deadline: float, limit: int) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise FetchError(f"The calendar is larger than {limit // 1024} KB: it is not imported.")
    chunks, size = [], 0
    # read1 hands over what has arrived, so that a server trickling bytes meets the deadline.
    while chunk := response.read1(CHUNK_BYTES):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"The calendar is larger than {limit // 1024} KB: it is not imported.")
        if time.monotonic() > deadline:
            raise FetchError("The calendar took too long to download.")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET the calendar at `url`, following a few redirects; FetchError says what went wrong."""
    timeout = settings.CALENDAR_IMPORT_TIMEOUT
    deadline = time.monotonic() + timeout
    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _ in range(MAX_REDIRECTS + 1):
        parts = url_parts(url)
        scheme, host = parts.scheme.lower(), parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
        address = checked_address(host, port)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default_port = port == (443 if scheme == "https" else 80)
        host_header = host if default_port else f"{host}:{port}"
        if ":" in host and not default_port:
            host_header = f"[{host}]:{port}"
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("The calendar took too long to download.")
        try:
            with _pool(scheme, host, address, port, remaining) as pool:
                response = pool.urlopen(
                    "GET", target, headers={**headers, "Host": host_header},
                    redirect=False, retries=False, preload_content=False,
                )  # fmt: skip
                try:
                    if response.status in REDIRECTS and response.headers.get("Location"):
                        url = urljoin(url, response.headers["Location"])
                        continue
                    if response.status == 304:
                        return Fetched(content=None, etag=etag, last_modified=last_modified)
                    if response.status != 200:
                        raise FetchError(f"The calendar's server answered {response.status}.")
                    content = _read_bounded(
                        response, deadline=deadline, limit=settings.CALENDAR_IMPORT_MAX_BYTES
                    )
                    return Fetched(
                        content=content,
                        etag=response.headers.get("ETag", "")[:500],
                        last_modified=response.headers.get("Last-Modified", "")[:100],
                    )
                finally:
                    response.release_conn()
        except urllib3.exceptions.TimeoutError as error:
            raise FetchError("The calendar took too long to download.") from error
        except urllib3.exceptions.SSLError as error:
            raise FetchError("The calendar's server has no valid certificate.") from error
        except urllib3.exceptions.HTTPError as error:
            raise FetchError(f"The calendar's server could not be reached ({error}).") from error
    raise FetchError(f"The calendar's address redirected more than {MAX_REDIRECTS} times.")
