"""A web page to an Article: the main text with its paragraphs, and the page's metadata.

trafilatura finds the main content; its XML body is then turned into text with one blank line
between blocks, because quotes run over paragraphs and the quote extractor relies on paragraph
breaks. Page furniture that slips through (comment widgets, share bars, newsletter prompts,
"Advertisement", "Read more", the headline repeated as the first line) is dropped by line-level
rules: a short line that is nothing but such a phrase is not part of the article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import lxml.html
import trafilatura
from lxml import etree
from trafilatura.settings import Document

from quotegraph.errors import InputError
from quotegraph.ingest.decode import decode_bytes, is_blank
from quotegraph.model import Article

# Blocks of trafilatura's output XML: each becomes its own paragraph.
_BLOCKS = frozenset({"p", "head", "item", "list", "quote", "table", "row", "code", "div", "graphic"})
_MIN_WORDS = 5  # fewer words than this is navigation or an error page, not an article
_MAX_FURNITURE_WORDS = 12  # longer lines are prose even when they mention comments or sharing
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARSET_WINDOW = 4096
_BREAK = "\x00"  # marks <lb/> while a block is collected: newlines in the source text are just spaces
# libxml2 reads an HTML page 256 elements deep and silently drops what lies deeper, the rest of the
# page included; with its "huge" option, 2,048. Deeper pages are refused rather than cut short.
_PARSER_DEPTH, _HUGE_PARSER_DEPTH = 256, 2048
_REACHES = {
    depth: etree.XPath("boolean(" + "/*" * depth + ")") for depth in (_PARSER_DEPTH, _HUGE_PARSER_DEPTH)
}
_HUGE_PARSER = lxml.html.HTMLParser(  # trafilatura's own parser settings, with the huge option
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)

_NETWORKS = (
    r"(?:facebook|twitter|x|instagram|linkedin|whatsapp|reddit|pinterest|messenger|flipboard|youtube|tiktok"
    r"|email|e-mail)"
)
# Whole lines that are page furniture, by kind; matched case-insensitively, trailing punctuation ignored.
_FURNITURE_PATTERNS = [
    # comment widgets
    r"(?:\d+|view|show|hide|read|see|load|all)\s+(?:\w+\s+)?comments?",
    r"no\s+comments(?:\s+yet)?",
    r"comments?(?:\s*\(\d+\))?",
    r"(?:post|leave|add|write|submit)\s+(?:a|your)\s+(?:comment|reply|response)",
    r"comments\s+are\s+(?:closed|disabled)",
    r"join\s+the\s+(?:conversation|discussion|debate)",
    # share bars, follow prompts
    r"(?:click\s+to\s+)?share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page|video))?"
    rf"(?:\s+(?:on|via)\s+{_NETWORKS}|\s*:.*)?",
    rf"(?:(?:{_NETWORKS}|share|tweet|print|pin\s+it|copy\s+link)(?:\s+this(?:\s+(?:article|story|page))?)?"
    r"\b[\s|·•,/]*)+",
    rf"follow\b.*\bon\s+{_NETWORKS}\b.*",
    # newsletter prompts
    r"(?:sign\s+up|subscribe|register|get|receive)\b.*\b(?:newsletters?|your\s+inbox)\b.*",
    r"(?:our|the|free|daily|weekly)?\s*newsletters?(?:\s+sign[\s-]*up)?",
    # advertising
    r"advertisement|advert|ad|sponsored(?:\s+content)?|paid\s+content",
    r"(?:story|article)\s+continues\s+(?:below|after)\s+(?:this\s+)?(?:advertisement|ad)",
    # links to other stories
    r"(?:read|see)\s+more(?:\s*:.*)?",
    r"(?:continue|keep)\s+reading(?:\s+the(?:\s+main)?\s+(?:story|article))?(?:\s*:.*)?",
    r"(?:related|recommended|more\s+on\s+this\s+(?:story|topic))(?:\s*:.*)?",
    r"you\s+(?:may|might)\s+also\s+(?:like|enjoy)",
]
_FURNITURE = re.compile(
    "^(?:" + "|".join(f"(?:{p})" for p in _FURNITURE_PATTERNS) + r")[\s.:!?…»›>|-]*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class RawHtml:
    """A web page read but not yet made an Article: its main-text extraction (about 50 ms a page)
    is the costly part of reading, so a caller may run ``read_raw_html`` elsewhere (``batch`` runs
    it on its workers). An HTML file, a WARC response, or a JSON record's ``html``."""

    data: bytes | str  # bytes are decoded by ``charset``, else the page's <meta>, else their content
    source: str  # where it was read: file, file@offset, file:line
    id: str
    url: str | None = None
    charset: str | None = None  # what the container declares (an HTTP header): it wins over <meta>
    # A JSON record's own metadata, which wins over what the page says.
    title: str | None = None
    published: str | None = None
    language: str | None = None


def read_raw_html(raw: RawHtml) -> Article:
    """The page's Article, with the id, URL and metadata ``raw`` carries; InputError as ``html_to_article``."""
    if isinstance(raw.data, str):
        article = html_to_article(raw.data, source=raw.source, url=raw.url)
    else:
        article = html_bytes_to_article(raw.data, source=raw.source, url=raw.url, charset=raw.charset)
    article.id = raw.id
    article.url = raw.url or article.url
    article.title = raw.title or article.title
    article.published = raw.published or article.published
    article.language = raw.language or article.language
    return article


def html_bytes_to_article(
    data: bytes, *, source: str, url: str | None = None, charset: str | None = None
) -> Article:
    """An Article from raw HTML bytes, decoded by ``charset`` (an HTTP header's), else the page's
    ``<meta charset>``, else their content; each only when valid for the bytes."""
    match = _META_CHARSET.search(data[:_CHARSET_WINDOW])
    declared = [charset, match.group(1).decode("ascii") if match else None]
    return html_to_article(decode_bytes(data, source=source, declared=declared), source=source, url=url)


def html_to_article(html: str, *, source: str, url: str | None = None) -> Article:
    """An Article from an HTML page; InputError when it cannot be parsed or has no main text."""
    if is_blank(html):
        raise InputError(f"{source}: the HTML page is empty")
    try:
        tree = _parse(html, source)
        language = _language(tree)
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            favor_precision=True,
        )
    except etree.LxmlError as exc:
        raise InputError(f"{source}: malformed HTML ({exc})") from exc
    if not isinstance(doc, Document) or doc.body is None:
        raise InputError(f"{source}: no main text found in the page")
    title = _clean_line(doc.title) if doc.title else None
    text = remove_furniture(_paragraphs(doc.body), title=title)
    words = [word for word in text.split() if not is_blank(word)]
    if len(words) < _MIN_WORDS:
        raise InputError(f"{source}: no main text found in the page (only {len(words)} word(s))")
    return Article(
        text=text,
        title=title or None,
        url=url or doc.url or None,
        published=doc.date or None,
        language=language,
        author=doc.author or None,
        site_name=doc.sitename or None,
        source=source,
    )


def _parse(html: str, source: str) -> lxml.html.HtmlElement:
    """The page's tree as trafilatura parses it; parsed again with the huge option where that
    stopped at its depth limit, so the text past it is read, and InputError past the huge limit."""
    tree = trafilatura.load_html(html)
    if tree is None:
        raise InputError(f"{source}: not an HTML page (it cannot be parsed as HTML)")
    if not _REACHES[_PARSER_DEPTH](tree):
        return tree
    try:
        tree = lxml.html.fromstring(html, parser=_HUGE_PARSER)
    except ValueError:  # a string that declares its encoding: lxml wants the bytes
        tree = lxml.html.fromstring(html.encode("utf-8"), parser=_HUGE_PARSER)
    if _REACHES[_HUGE_PARSER_DEPTH](tree):
        raise InputError(
            f"{source}: the page nests its elements more than {_HUGE_PARSER_DEPTH} deep, "
            "past what the HTML parser reads"
        )
    return tree


def remove_furniture(paragraphs: list[str], *, title: str | None = None) -> str:
    """The paragraphs joined by blank lines, without furniture lines or a leading repeat of the title."""
    kept: list[str] = []
    for paragraph in paragraphs:
        lines = [line for line in paragraph.split("\n") if not _is_furniture(line)]
        if lines:
            kept.append("\n".join(lines))
    if kept and title and _repeats_title(kept[0], title):
        kept.pop(0)
    return "\n\n".join(kept)


def _repeats_title(first: str, title: str) -> bool:
    """The headline as the first line, also where the <title> adds the site ("Headline | Site")."""
    line, full = _key(first), _key(title)
    if line == full:
        return True
    return len(line.split()) >= 3 and (full.startswith(line + " ") or full.endswith(" " + line))


def _is_furniture(line: str) -> bool:
    return len(line.split()) <= _MAX_FURNITURE_WORDS and _FURNITURE.match(line) is not None


def _paragraphs(body: etree._Element) -> list[str]:
    """The text of trafilatura's XML body, one string per block; ``<lb/>`` stays a single newline."""
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        lines = (_clean_line(line) for line in "".join(current).split(_BREAK))
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
        current.clear()

    def walk(element: etree._Element) -> None:
        block = element.tag in _BLOCKS
        if block:
            flush()
        elif element.tag == "lb":
            current.append(_BREAK)
        elif element.tag == "cell":
            current.append(" ")
        current.append(element.text or "")
        for child in element:
            walk(child)
        if block:
            flush()
        current.append(element.tail or "")

    walk(body)
    flush()
    return paragraphs


def _clean_line(line: str) -> str:
    """Whitespace runs (including the HTML source's own line breaks) become one space."""
    return " ".join(line.split())


def _key(text: str) -> str:
    """Text compared for sameness: case, accents, punctuation and spacing ignored."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def _language(tree: etree._Element) -> str | None:
    """The primary language subtag of ``<html lang>`` ("en-GB" -> "en"), which trafilatura ignores."""
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang or not lang.strip():
        return None
    return lang.strip().split("-")[0].split("_")[0].lower() or None
