"""Outbound HTTP for Slack, Teams and webhooks, guarded against requests into our own network (SSRF).

1. The host name is resolved once; every address it resolves to must be public (not loopback, private,
   link-local, CGNAT 100.64/10, unique-local fc00::/7, multicast, reserved, or IPv4-mapped).
2. The connection goes to that checked address (the Host header and TLS name stay the host name), so a DNS
   answer that changes between the check and the connection cannot redirect it.
3. Redirects are never followed: a 3xx is a failed delivery.
WEBHOOK_ALLOW_PRIVATE_TARGETS=true lifts the address check (and allows plain http) for development and tests.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
MAX_RESPONSE_BYTES = 64 * 1024


class UnsafeTarget(ValueError):
    """The URL may not be called: a bad scheme, a host that does not resolve, or an internal address."""


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    headers: dict[str, str]
    body: str


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def internal_reason(address: str) -> str:
    """Why an address is internal ("" when it is public). IPv4 inside IPv6 forms is checked as IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "an IPv4-mapped IPv6 address"
        embedded = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and internal_reason(str(embedded)):
            return f"an IPv6 address carrying the internal address {embedded}"
    checks = [
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "a link-local address"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in CGNAT, "a carrier-grade NAT address (100.64.0.0/10)"),
        (isinstance(ip, ipaddress.IPv6Address) and ip in ipaddress.ip_network("fc00::/7"), "a unique-local address"),
        (ip.is_private, "a private address"),
        (ip.is_multicast, "a multicast address"),
        (ip.is_unspecified or ip.is_reserved, "a reserved address"),
        (not ip.is_global, "an address that is not public"),
    ]
    return next((reason for hit, reason in checks if hit), "")


def _allow_private() -> bool:
    return bool(settings.WEBHOOK_ALLOW_PRIVATE_TARGETS)


def resolve_target(url: str) -> Target:
    """Check a URL and pick the address to connect to; raises UnsafeTarget with a reason people can read."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if _allow_private() else ("https",)
    if scheme not in allowed:
        raise UnsafeTarget("The URL must start with https://.")
    if not parts.hostname or parts.username or parts.password:
        raise UnsafeTarget("The URL needs a host name and no user name or password.")
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"The host {parts.hostname} does not resolve ({exc}).") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not _allow_private():
        for address in addresses:
            reason = internal_reason(address)
            if reason:
                raise UnsafeTarget(f"{parts.hostname} resolves to {address}, {reason}: refused.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme=scheme, host=parts.hostname, port=port, path=path, address=addresses[0])


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a fixed address while checking the certificate against the host name."""

    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def post_json(url: str, body: bytes, headers: dict[str, str], *, timeout: float | None = None) -> HttpAnswer:
    """POST once to the checked address; never follows a redirect. Network errors raise OSError."""
    target = resolve_target(url)
    timeout = timeout or settings.WEBHOOK_TIMEOUT_SECONDS
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout)
    try:
        all_headers = {"Content-Type": "application/json", "User-Agent": "SuccessPortal-Webhooks/1", **headers}
        connection.request("POST", target.path, body=body, headers=all_headers)
        response = connection.getresponse()
        text = response.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace")
        return HttpAnswer(status=response.status, headers={k.lower(): v for k, v in response.getheaders()}, body=text)
    finally:
        connection.close()
