"""SSRF guard for the fetch stage: decides whether an address may be connected to.

Takes a URL host (as the URL parser left it) and gives the list of checked IP addresses to connect
to, or raises `AddressRefused`. URLs come from data (feeds, listings, policy entries, redirects), so
any of them may point at the crawler's own machine or network. The check is made on the RESOLVED
address, never on the spelling, because "localhost.", "127.1", "0x7f.1", "2130706433" and a DNS name
under an attacker's control all reach the same loopback interface.

`http.py` calls `resolve_checked` before every hop and connects to exactly the addresses it returns
(see `_PinnedBackend` there), so DNS rebinding between check and connect has no window.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Collection, Iterable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# host -> IP address strings. Injected in tests so a public-looking name can "resolve" to 10.0.0.1
# without touching the network.
Resolver = Callable[[str], Sequence[str]]

# Python's `is_global` is the first filter; these are the ranges it lets through (checked on 3.11)
# or that change meaning between Python versions, listed so the guard does not depend on either.
_DENIED: tuple[IPNetwork, ...] = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",  # "this network": connecting to 0.0.0.0 reaches the local host on Linux
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598): the provider's internal network
        "192.0.0.0/24",  # IETF protocol assignments, some anycast into local infrastructure
        "192.88.99.0/24",  # deprecated 6to4 relay anycast: tunnels into arbitrary IPv4
        "198.18.0.0/15",  # benchmarking networks, used as internal ranges in practice
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, incl. 255.255.255.255 broadcast
        "::/96",  # deprecated IPv4-compatible IPv6 (::127.0.0.1): `is_global` says True
        "::ffff:0:0/96",  # IPv4-mapped IPv6 ([::ffff:127.0.0.1]) reaches the mapped IPv4 host
        "64:ff9b::/96",  # NAT64 well-known prefix: 64:ff9b::7f00:1 is 127.0.0.1 via the gateway
        "64:ff9b:1::/48",  # NAT64 local-use prefix (RFC 8215)
        "100::/64",  # discard-only
        "2001::/32",  # Teredo: embeds an arbitrary IPv4 server address
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4: 2002:7f00:1:: embeds 127.0.0.1; `is_global` says True
        "fc00::/7",  # unique local (the IPv6 private ranges)
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local: `is_global` says True
        "ff00::/8",  # multicast
    )
)


class AddressRefused(Exception):
    """The host resolves to an address the guard refuses (or does not resolve at all).

    Deliberately not an OSError: httpcore maps OSErrors raised while connecting to ConnectError,
    which would blur "refused by us" into "refused by the server"."""

    def __init__(self, host: str, detail: str, *, dns_failure: bool = False) -> None:
        super().__init__(f"{host}: {detail}")
        self.host = host
        self.detail = detail
        self.dns_failure = dns_failure


def parse_networks(specs: Iterable[str]) -> tuple[IPNetwork, ...]:
    """`["127.0.0.1/32", "::1"]` → networks; for `allow_addresses` read from the config file."""
    return tuple(ipaddress.ip_network(s, strict=False) for s in specs)


def literal_address(host: str) -> IPAddress | None:
    """The IP a host names by itself, in any spelling the C library would accept, else None.

    `inet_aton` is what `getaddrinfo` uses for IPv4 literals, so "2130706433", "0x7f.1",
    "017700000001" and "127.1" are read exactly as the connecting code would read them."""
    bare = host.strip("[]").rstrip(".")
    bare = bare.replace("%25", "%")  # a zone id in a URL is percent-encoded ("fe80::1%25eth0")
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if bare and all(c in "0123456789abcdefxABCDEFX." for c in bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def is_public(ip: IPAddress) -> bool:
    """True when `ip` is a globally routable unicast address outside every denied range."""
    if ip.is_multicast or ip.is_unspecified or ip.is_reserved or not ip.is_global:
        return False
    return not any(ip.version == net.version and ip in net for net in _DENIED)


def check_address(
    ip: IPAddress, port: int, allow: Sequence[IPNetwork], ports: Collection[int]
) -> str | None:
    """None when `ip`:`port` may be connected to, else the reason it may not."""
    if any(ip.version == net.version and ip in net for net in allow):
        return None
    if not is_public(ip):
        return f"non-public address {ip}"
    if port not in ports:
        # A public host's odd port is most often an admin or database service exposed by mistake;
        # the web we archive lives on the standard ports.
        return f"port {port} not allowed"
    return None


def system_resolver(host: str) -> Sequence[str]:
    """All addresses `getaddrinfo` gives for `host` (both families), in its preferred order."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def resolve_checked(
    host: str,
    port: int,
    allow: Sequence[IPNetwork],
    ports: Collection[int],
    resolver: Resolver = system_resolver,
) -> list[str]:
    """The addresses of `host`, every one checked; raises AddressRefused if any is refused.

    One bad address refuses the host: a name resolving to both a public and a private address is
    exactly what a rebinding attacker publishes, and the order of the answers is theirs.
    `ports` applies to public addresses only: an allow-listed address may use any port (the test
    servers and the demo listen on random loopback ports)."""
    literal = literal_address(host)
    if literal is not None:
        names = [str(literal)]
    else:
        try:
            names = list(resolver(host))
        except (OSError, UnicodeError) as exc:  # gaierror is an OSError
            raise AddressRefused(host, f"cannot resolve: {exc}", dns_failure=True) from exc
        if not names:
            raise AddressRefused(host, "no addresses", dns_failure=True)
    checked: list[str] = []
    for name in names:
        ip = literal_address(name)
        if ip is None:
            raise AddressRefused(host, f"resolver gave a non-address {name!r}")
        reason = check_address(ip, port, allow, ports)
        if reason is not None:
            raise AddressRefused(host, reason)
        checked.append(str(ip))
    return checked
