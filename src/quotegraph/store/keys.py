"""The folded keys stored beside names so that look-ups use indexes, and the SQL that compares them.

Names are compared on keys computed in Python at insert (``textnorm.fold``), so no query calls a
fold function per row.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from quotegraph.textnorm import fold


def name_keys(name: str | None) -> tuple[str | None, str | None]:
    """A name's folded key and its last word (the surname), stored so that name look-ups use indexes."""
    if name is None:
        return None, None
    key = fold(name)
    return key, key.rsplit(" ", 1)[-1]


def like_escape(text: str) -> str:
    """Text as a literal inside a LIKE pattern (with ``ESCAPE '\\'``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def about_quote(alias: str) -> str:
    """SQL: the record ``alias`` (a mention, place or date) lies inside quote ``q``'s words or inside
    what its reporting clause says they are about ("Regarding the Doha meeting, X said: ...")."""
    return (
        f'(({alias}.start >= q.start AND {alias}."end" <= q."end") '
        f'OR ({alias}.start >= q.topic_start AND {alias}."end" <= q.topic_end))'
    )


def outlet_of(site_name: str | None, url: str | None) -> str | None:
    """Who published an article, for listing and filtering by outlet: its site name as the page gives
    it, else its URL's host without ``www.``; None when neither is known."""
    if site_name and site_name.strip():
        return " ".join(site_name.split())
    try:
        host = urlsplit(url or "").hostname
    except ValueError:  # a malformed URL ("http://[::1") names no host
        return None
    return host.removeprefix("www.") if host else None
