"""Links that leave the request cycle (e-mails, letters, calendar files) from one public
address: ``settings.SITE_URL``.

The default Wagtail Site record is kept in step with it (``default_site_align``), so the
page links Wagtail builds in its admin agree with those in e-mails; e-mails never read
the Site record, so a record edited by hand cannot send a visitor elsewhere (policy M:
a link in a message from the centre leads to the centre's own site).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_PORTS = {"http": 80, "https": 443}
# Addresses a server listens on that no browser can open: links name this host instead.
UNROUTABLE_HOSTS = {"", "0.0.0.0", "::", "[::]"}  # noqa: S104 (compared, never bound)


def public_url(path: str) -> str:
    """``path`` (``/fr/...``) on the public address."""
    return settings.SITE_URL.rstrip("/") + "/" + path.lstrip("/")


def page_public_url(page) -> str:
    """A Wagtail page's address for someone outside the site, e.g. in an e-mail."""
    parts = page.get_url_parts()
    if parts is None:  # not routable: not under any site
        return public_url("/")
    return public_url(parts[2])


def site_url_for(*, host: str, port: int) -> str:
    """The address a browser on this machine opens to reach a server bound to host:port."""
    host = "localhost" if host in UNROUTABLE_HOSTS else host
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 literal
    return f"http://{host}:{port}" if port != DEFAULT_PORTS["http"] else f"http://{host}"


def site_record_address(site_url: str) -> tuple[str, int]:
    """The (hostname, port) a Wagtail Site record needs to build ``site_url``'s links."""
    parts = urlsplit(site_url)
    return (parts.hostname or "localhost", parts.port or DEFAULT_PORTS.get(parts.scheme, 80))


def default_site_align(*, site_url: str | None = None):
    """Point the default Wagtail Site record at ``site_url`` (``SITE_URL``); return it.

    Nothing happens without a default site (a fresh database before the demo) or when it
    agrees already."""
    # Here, not at the top: the settings import this module before the apps are loaded.
    from wagtail.models import Site

    hostname, port = site_record_address(site_url or settings.SITE_URL)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return site
    if Site.objects.filter(hostname=hostname, port=port).exists():
        return site  # another site serves that address already: an editor's choice
    site.hostname, site.port = hostname, port
    site.save(update_fields=["hostname", "port"])
    return site
