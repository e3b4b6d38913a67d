"""Web pages to Articles: main text with paragraph breaks, metadata, and no page furniture.

The page below was written for this file. The real pages in ../shared/data/raw/html are read
in place (never copied into the repository) and only scored.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from html_pages import load_pages, token_scores
from quotegraph.errors import InputError
from quotegraph.ingest import html_to_article, read_inputs
from quotegraph.ingest.html import html_bytes_to_article, remove_furniture
from quotegraph.model import Article, IngestFailure

SHARED_PAGES = Path(__file__).parents[1].parent / "shared" / "data" / "raw" / "html"
MIN_MEAN_F1 = 0.975  # measured 0.981 with trafilatura 2.3.1 (benchmarks/html_extraction.py)

PARAGRAPHS = [
    "The harbour council in Westmere voted on Tuesday evening to build a new sea wall along the "
    "eastern quay, ending a dispute that has lasted almost two years.",
    '"We have waited long enough," said councillor Tomas Brenner after the vote. "Every winter the '
    "water comes further into the old town.",
    '"Now we can finally tell the shop owners that help is coming," he added.',
    "The wall will cost about 4.2 million euros, according to the council's own estimate, and work "
    "is expected to start in the spring.",
    "Opponents of the plan, including the local fishing cooperative, said the wall would block access "
    "to the slipway used by smaller boats.",
    "The cooperative's chair, Maren Holt, said her members would ask the regional court to review the decision.",
]
FURNITURE = [
    "Share this article",
    "Share on Facebook",
    "Share on Twitter",
    "Advertisement",
    "Read more",
    "Sign up for our newsletter",
    "3 Comments",
    "Leave a comment",
    "0 Comments",
    "Post a Comment",
]
PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Harbour council approves new sea wall | Westmere Gazette</title>
<meta name="author" content="Ines Calloway">
<meta property="article:published_time" content="2023-09-14T08:30:00Z">
<meta property="og:site_name" content="Westmere Gazette">
</head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<main><article>
<h1>Harbour council approves new sea wall</h1>
<p>Share this article</p>
<p>Share on Facebook</p>
<p>Share on Twitter</p>
<p>{PARAGRAPHS[0]}</p>
<p>{PARAGRAPHS[1]}</p>
<p>{PARAGRAPHS[2]}</p>
<p>Advertisement</p>
<p>{PARAGRAPHS[3]}</p>
<p>Read more</p>
<p>{PARAGRAPHS[4]}</p>
<p>Sign up for our newsletter</p>
<p>{PARAGRAPHS[5]}</p>
<p>3 Comments</p>
<p>Leave a comment</p>
</article>
<section class="comments"><h3>0 Comments</h3><p>Post a Comment</p></section>
</main>
<footer><p>Westmere Gazette, 12 Quay Street</p></footer>
</body>
</html>
"""


def test_page_keeps_paragraphs_and_drops_furniture() -> None:
    article = html_to_article(PAGE, source="page.html")
    assert article.text.split("\n\n") == PARAGRAPHS
    for phrase in [*FURNITURE, "Home", "Westmere Gazette, 12 Quay Street"]:
        assert phrase not in article.text
    assert not article.text.startswith("Harbour council approves")  # the repeated headline


def test_page_metadata() -> None:
    article = html_to_article(PAGE, source="page.html", url="https://example.org/sea-wall")
    assert (article.title, article.author, article.published) == (
        "Harbour council approves new sea wall",
        "Ines Calloway",
        "2023-09-14",
    )
    assert (article.site_name, article.language, article.url) == (
        "Westmere Gazette",
        "en",
        "https://example.org/sea-wall",
    )
    assert article.source == "page.html"


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("Post a Comment", True),
        ("0 Comments", True),
        ("12 comments", True),
        ("Comments (4)", True),
        ("Leave a comment", True),
        ("Share this article", True),
        ("Share on Facebook", True),
        ("Facebook Twitter WhatsApp Copy link", True),
        ("Sign up for our newsletter", True),
        ("Subscribe to our weekly newsletter for more local news.", True),
        ("Get the day's top headlines delivered to your inbox", True),
        ("ADVERTISEMENT", True),
        ("Story continues below advertisement", True),
        ("Read more", True),
        ("Read more: Council names new harbour master", True),
        ("Continue reading the main story", True),
        ("Follow us on Twitter", True),
        ("Share prices fell sharply on Monday.", False),
        ("He said he would read more books this year.", False),
        ("No comment.", False),
        ("Facebook said on Monday that it would appeal.", False),
        ("The advertisement ran for weeks before anyone complained about it.", False),
        ('"Leave a comment," the sign said, and hundreds of people did so over the weekend.', False),
    ],
)
def test_furniture_lines(line: str, furniture: bool) -> None:
    assert remove_furniture([line]) == ("" if furniture else line)


def test_furniture_removed_line_by_line_inside_a_paragraph() -> None:
    assert remove_furniture(["First line.\nAdvertisement\nSecond line.", "Read more"]) == (
        "First line.\nSecond line."
    )


@pytest.mark.parametrize(
    ("first", "title", "dropped"),
    [
        ("Harbour council approves new sea wall", "Harbour council approves new sea wall", True),
        ("HARBOUR COUNCIL APPROVES NEW SEA WALL.", "Harbour council approves new sea wall", True),
        ("Harbour council approves new sea wall", "Harbour council approves new sea wall | Gazette", True),
        ("The council voted on Tuesday.", "Harbour council approves new sea wall", False),
        ("Harbour", "Harbour council approves new sea wall", False),
    ],
)
def test_repeated_title(first: str, title: str, dropped: bool) -> None:
    body = remove_furniture([first, "The body of the article."], title=title)
    assert body.startswith(first) is not dropped


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        pytest.param("", "empty", id="empty"),
        pytest.param("   \n ", "empty", id="whitespace"),
        pytest.param("just words, no markup at all", "not an HTML page", id="plain text"),
        pytest.param("<<<>>><!--<><div<p</", "not an HTML page", id="garbage"),
        pytest.param("<html><head><title>Storm</title></head><bo", "no main text", id="truncated in head"),
        pytest.param(
            "<html><body><nav><a href='/'>Home</a></nav><footer>About us</footer></body></html>",
            "no main text",
            id="navigation only",
        ),
        pytest.param(
            "<html><body><article><p>" + "\u200b \u2060\u200d " * 20 + "</p></article></body></html>",
            r"no main text found in the page \(only 0 word",
            id="zero-width words only",
        ),
    ],
)
def test_bad_html_is_an_input_error(html: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        html_to_article(html, source="bad.html")


def test_truncated_page_keeps_what_arrived() -> None:
    truncated = PAGE[: PAGE.index(PARAGRAPHS[3][:40])]
    article = html_to_article(truncated, source="cut.html")
    assert article.text.split("\n\n")[:3] == PARAGRAPHS[:3]


WESTERN = "\u201cThe caf\u00e9 stays open,\u201d said the owner, Ren\u00e9e Faure, on Monday morning."
CZECH = "Starosta \u0159ekl, \u017ee jedn\u00e1n\u00ed budou pokra\u010dovat v pond\u011bl\u00ed, uvedla mluv\u010d\u00ed."


@pytest.mark.parametrize(
    ("meta", "encoding", "text"),
    [
        ('<meta charset="windows-1252">', "cp1252", WESTERN),
        ('<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">', "cp1252", WESTERN),
        ('<meta charset="utf-8">', "utf-8", WESTERN),
        ("", "cp1252", WESTERN),  # no declaration: guessed, Windows-1252 preferred
        ('<meta charset="iso-8859-2">', "iso8859_2", CZECH),  # guessing alone would get this wrong
    ],
)
def test_html_bytes_use_the_declared_charset(meta: str, encoding: str, text: str) -> None:
    page = f"<html><head>{meta}<title>News</title></head><body><article><p>{text}</p></article></body></html>"
    article = html_bytes_to_article(page.encode(encoding), source="page.html")
    assert article.text == text


def test_html_files_through_read_inputs(tmp_path: Path) -> None:
    good = tmp_path / "a.html"
    good.write_text(PAGE, encoding="utf-8")
    bad = tmp_path / "b.htm"
    bad.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    first, second = read_inputs([tmp_path])
    assert isinstance(first, Article)
    assert (first.id, first.source, first.title) == (
        str(good),
        str(good),
        "Harbour council approves new sea wall",
    )
    assert first.text.split("\n\n") == PARAGRAPHS
    assert isinstance(second, IngestFailure)
    assert second.source == str(bad)
    assert "no main text" in second.reason


@pytest.mark.skipif(
    not SHARED_PAGES.is_dir(), reason=f"real benchmark pages not found at {SHARED_PAGES} (shared data absent)"
)
def test_real_pages_token_f1() -> None:
    pages = list(load_pages(SHARED_PAGES))
    assert len(pages) == 40
    scores = []
    for page in pages:
        article = html_bytes_to_article(page.html, source=page.name, url=page.url)
        assert "\n\n" in article.text, f"{page.name}: no paragraph breaks"
        scores.append(token_scores(article.text, page.expected).f1)
    assert statistics.mean(scores) >= MIN_MEAN_F1
    assert min(scores) >= 0.8


DEEP_TEXT = "The harbour council voted on Tuesday to rebuild the sea wall, the mayor said."


def _nested(depth: int, tag: str = "div") -> str:
    """A page whose second paragraph lies ``depth`` elements deep, with a third after it."""
    return (
        f"<html><body><article><p>{DEEP_TEXT}</p>{f'<{tag}>' * depth}<p>Deep: {DEEP_TEXT}</p>"
        f"{f'</{tag}>' * depth}<p>After: {DEEP_TEXT}</p></article></body></html>"
    )


@pytest.mark.parametrize("tag", ["div", "b", "blockquote"])
def test_text_past_the_parsers_depth_limit_is_read(tag: str) -> None:
    """libxml2 stops at 256 levels and dropped the rest of the page, the paragraph after included."""
    article = html_to_article(_nested(300, tag), source="deep.html")
    assert article.text.split("\n\n") == [DEEP_TEXT, f"Deep: {DEEP_TEXT}", f"After: {DEEP_TEXT}"]


@pytest.mark.parametrize("depth", [3000, 100_000])
def test_a_page_nested_past_any_limit_is_refused_with_its_reason(depth: int) -> None:
    with pytest.raises(InputError, match="nests its elements more than 2048 deep"):
        html_to_article(_nested(depth), source="deep.html")
