"""The ``bad-inputs`` section of benchmarks/robustness.py: hostile input through the real commands.

A corpus of generated bad inputs (binary, wrong encodings, empty, huge, deeply
  nested HTML and JSON, gzip bombs, truncated and damaged WARC records, invalid JSONL, NUL bytes,
  bidi and zero-width characters, thousands of quotation marks, odd file names, symbolic link
  loops, FIFOs, sockets, devices) through ``quotegraph ingest``, and through ``quotegraph batch``
  then ``quotegraph load``. Every input has one expected outcome, known by construction: read, with
  the exact text (code pages decoded right, the lines around a bad JSON line, a file name kept
  losslessly), or recorded as a failure whose reason says what is wrong. A traceback, a non-zero
  exit, a hang past the time limit, a wrong text, a missing record or a failure for another reason
  is counted as such.

"""

from __future__ import annotations

import argparse
import codecs
import gzip
import io
import json
import os
import random
import re
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from quotegraph.ingest.paths import path_from_label, path_label
from quotegraph.store import Store, open_store

REPOSITORY = Path(__file__).resolve().parents[1]
MAX_FILE_BYTES = 2 * 1024 * 1024  # the commands run with this limit, so "huge" inputs stay quick to make
COMMAND_TIMEOUT = 1800

# --- the corpus: what each input is, and what must come of it ------------------------------------


@dataclass(frozen=True, slots=True)
class Expect:
    """One outcome: an article read with exactly ``text``, or a failure of ``source`` (a WARC's
    failures may be at any offset of the file: ``source@N``) whose reason holds one of ``reason``."""

    source: str  # the article id, or the failure's source
    text: str | None = None  # read: the exact stored text
    reason: tuple[str, ...] = ()  # failed: one of these in the reason
    either: bool = False  # a damaged archive's page: read exactly, or a failure of its file

    @property
    def read(self) -> bool:
        return self.text is not None


@dataclass(slots=True)
class BadInput:
    category: str
    path: Path  # in the corpus folder (may hold bytes that are not UTF-8)
    expects: list[Expect]
    lossless_name: bool = False  # check that the stored id gives the file's bytes back


@dataclass(slots=True)
class Corpus:
    root: Path
    inputs: list[BadInput] = field(default_factory=list)
    serial: int = 0

    def unique(self) -> str:
        """A mark that makes each readable text unique, so none is skipped as a duplicate."""
        self.serial += 1
        return f"(ref. {self.serial})"

    def add(
        self, category: str, name: str | bytes, data: bytes, *expects: Expect, lossless: bool = False
    ) -> Path:
        path = self.root / category / (os.fsdecode(name) if isinstance(name, bytes) else name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.inputs.append(BadInput(category, path, list(expects), lossless))
        return path

    def label(self, path: Path) -> str:
        return path_label(path)


def read_as(path: Path, text: str) -> Expect:
    return Expect(path_label(path), text=text)


def fails(source: str, *reason: str) -> Expect:
    return Expect(source, reason=reason)


# Sentences written for this benchmark (no dev-set text), by language, each with its code page.
WESTERN = {
    "norwegian": [
        "Østfold: Ørjan ønsker å åpne kjøkkenet på søndag.",
        "Bøndene i Ørje må vente på været før høsten.",
        "Ordføreren sa at brua over elva åpner igjen i mai.",
        "«Vi er glade for avgjørelsen», sier Åse Bø.",
    ],
    "french": [
        "Les élèves de Besançon ont reçu leur leçon très tôt.",
        "Le garçon, déçu, a pleuré après la fête de Noël.",
        "« Nous rouvrirons le marché en été », a déclaré la maire.",
        "Les pêcheurs de Sète réclament une aide de l'État.",
    ],
    "german": [
        "Der Bürgermeister von Köln sagte, die Straße werde im März geöffnet.",
        "„Wir müssen schneller bauen“, erklärte Jürgen Weiß.",
        "Die Gebühren für Parkplätze steigen um fünf Prozent.",
    ],
    "spanish": [
        "El alcalde de Logroño dijo que la reunión será el miércoles.",
        "«No habrá más retrasos», aseguró la señora Muñoz.",
        "Los niños volverán a clase después del año nuevo.",
    ],
    "portuguese": [
        "O prefeito de São João disse que não há risco.",
        "“A água já baixou”, afirmou a coordenadora da Defesa Civil.",
        "A ponte será reaberta no próximo mês, após a inspeção.",
    ],
}
OTHER_SCRIPTS = {
    ("polish", "cp1250"): [
        "Premier powiedział, że rząd przyjmie ustawę w przyszłym tygodniu.",
        "„Jesteśmy gotowi”, dodał minister z Łodzi.",
        "Mieszkańcy Gdańska czekają na nowy most nad rzeką.",
    ],
    ("russian", "cp1251"): [
        "Министр заявил, что правительство примет закон на следующей неделе.",
        '"Мы готовы", сказал он журналистам в Казани.',
        "Жители города ждут нового моста через реку.",
    ],
    ("russian", "koi8_r"): [
        "Министр заявил, что правительство примет закон на следующей неделе.",
        '"Мы готовы", сказал он журналистам в Казани.',
        "Жители города ждут нового моста через реку.",
    ],
    ("greek", "cp1253"): [
        "Ο υπουργός δήλωσε ότι η κυβέρνηση θα ψηφίσει τον νόμο την επόμενη εβδομάδα.",
        "Οι κάτοικοι της Πάτρας περιμένουν τη νέα γέφυρα.",
    ],
    ("japanese", "shift_jis"): [
        "大臣は来週、政府が法案を可決すると述べた。",
        "会議は東京で開かれ、市民も参加できる。",
    ],
    ("chinese", "gb2312"): ["部长说，政府将在下周通过这项法律。", "会议在北京举行，市民可以参加。"],
}
ENGLISH = [
    "The council in Westhaven voted on Tuesday to keep the night ferry running.",
    "“We will not close the line,” said Mara Ellison, who chairs the transport committee.",
    "Residents had collected more than four thousand signatures against the cut.",
    "The operator said the boats would need new engines within two years.",
    "Opposition members called the decision expensive but fair.",
]
MAGIC = {
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "gif": b"GIF89a\x10\x00\x10\x00",
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "gzip": gzip.compress(b"some text that was compressed"),
    "zip": b"PK\x03\x04\x14\x00\x00\x00",
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
}


def page(paragraphs: list[str], *, meta: str = "", title: str = "Ferry service resumes") -> str:
    """A news page whose main text is exactly ``paragraphs``, between navigation and a footer."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<html><head>{meta}<title>{title}</title></head><body><nav><a href='/'>Home</a> | "
        f"<a href='/news'>News</a></nav><article>{body}</article><footer>Contact us</footer></body></html>"
    )


def generate(root: Path, *, scale: float = 1.0, seed: int = 24) -> Corpus:
    """The corpus under ``root``: each category's inputs, ``scale`` times the full count (at least one)."""
    corpus = Corpus(root)
    rng = random.Random(seed)

    def n(full: int) -> int:
        return max(1, round(full * scale))

    for make in (
        _binary,
        _encodings,
        _empty,
        _huge,
        _deep_html,
        _deep_json,
        _gzip_bombs,
        _warc,
        _jsonl,
        _nul_bytes,
        _bidi_and_zero_width,
        _quotation_marks,
        _odd_names,
        _special_files,
    ):
        make(corpus, rng, n)
    return corpus


def _text(rng: random.Random, pool: list[str], corpus: Corpus, *, joiner: str = " ") -> str:
    picked = rng.sample(pool, rng.randint(1, len(pool)))
    return joiner.join(picked) + " " + corpus.unique()


def _binary(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    for kind, magic in MAGIC.items():
        for suffix in (".txt", ".html", ".jsonl"):
            path = c.root / "binary" / f"{kind}{suffix}"
            c.add(
                "binary",
                path.name,
                magic + bytes(rng.randrange(256) for _ in range(200)),
                fails(c.label(path), "binary"),
            )
    for i in range(n(200)):
        suffix = rng.choice([".txt", ".html", ".htm"])
        path = c.root / "binary" / f"random-{i}{suffix}"
        data = bytes(rng.randrange(256) for _ in range(rng.choice([64, 700, 5000])))
        c.add(
            "binary",
            path.name,
            data,
            fails(c.label(path), "binary", "cannot decode", "not an HTML page", "no main text"),
        )


def _encodings(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    cases: list[tuple[str, list[str], str]] = [
        (language, pool, "cp1252") for language, pool in WESTERN.items() for _ in range(n(24))
    ]
    cases += [(lang, pool, enc) for (lang, enc), pool in OTHER_SCRIPTS.items() for _ in range(n(15))]
    cases += [("english", ENGLISH, enc) for enc in ("utf-16-le", "utf-16-be") for _ in range(n(10))]
    cases += [("russian", OTHER_SCRIPTS[("russian", "cp1251")], "utf-16-le") for _ in range(n(5))]
    cases += [("english", ENGLISH, enc) for enc in ("utf-16", "utf-8-sig", "utf-32") for _ in range(n(3))]
    for i, (language, pool, encoding) in enumerate(cases):
        text = _text(rng, pool, c)
        path = c.root / "encodings" / f"{language}-{encoding}-{i}.txt"
        c.add("encodings", path.name, text.encode(encoding), read_as(path, text))
    for i in range(n(20)):  # a file edited by two programs: UTF-8 lines and Windows-1252 lines
        lines = [s + " " + c.unique() for s in rng.sample(WESTERN["norwegian"] + WESTERN["french"], 4)]
        data = b"".join((line + "\n").encode("utf-8" if k % 2 else "cp1252") for k, line in enumerate(lines))
        path = c.root / "encodings" / f"mixed-lines-{i}.txt"
        c.add("encodings", path.name, data, read_as(path, "".join(line + "\n" for line in lines)))
    for i in range(n(10)):  # both within one line
        a, b = rng.sample(WESTERN["german"] + WESTERN["spanish"], 2)
        path = c.root / "encodings" / f"mixed-line-{i}.txt"
        tail = " " + c.unique()
        c.add(
            "encodings",
            path.name,
            a.encode() + b" " + b.encode("cp1252") + tail.encode(),
            read_as(path, f"{a} {b}{tail}"),
        )
    for i in range(n(30)):  # web pages without a declared charset, and with a wrong one
        language, encoding = rng.choice([("french", "cp1252"), ("german", "cp1252"), ("russian", "cp1251")])
        pool = WESTERN.get(language) or OTHER_SCRIPTS[(language, encoding)]
        paragraphs = [s + " " + c.unique() for s in rng.sample(pool, 2)]
        meta = '<meta charset="utf-8">' if i % 3 == 0 else ""  # says UTF-8, is not
        path = c.root / "encodings" / f"page-{language}-{i}.html"
        c.add(
            "encodings",
            path.name,
            page(paragraphs, meta=meta).encode(encoding),
            read_as(path, "\n\n".join(paragraphs)),
        )


def _empty(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    contents = {
        "zero-bytes": b"",
        "spaces": b" \n\t\r\n  ",
        "zero-width": "\u200b\u200c\u200d\u2060\ufeff\n".encode(),
        "bidi-controls": "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069".encode(),
        "fillers": "\u3164\u115f\u1160\uffa0\u2800".encode(),
        "bom-only": codecs.BOM_UTF8,
        "utf16-bom-only": codecs.BOM_UTF16_LE,
        "nbsp": "\u00a0\u2003\u3000\n".encode(),
    }
    for name, data in contents.items():
        for suffix in (".txt", ".html", ".jsonl"):
            path = c.root / "empty" / f"{name}{suffix}"
            if suffix != ".jsonl":
                expect = fails(c.label(path), "file is empty")
            elif not data.strip():
                expect = fails(c.label(path), "file is empty (no JSON lines)")
            elif data.startswith(codecs.BOM_UTF16_LE):
                expect = fails(c.label(path), "must be UTF-8")
            else:  # invisible characters are no JSON: the line fails
                expect = fails(f"{c.label(path)}:1", "invalid JSON")
            c.add("empty", path.name, data, expect)
    for i in range(n(6)):
        path = c.root / "empty" / f"invisible-text-{i}.jsonl"
        record = {"id": f"invisible-{i}", "text": "\u200b" * (i + 1) + " \u2060"}
        c.add(
            "empty",
            path.name,
            json.dumps(record).encode() + b"\n",
            fails(f"{c.label(path)}:1", "text is empty"),
        )


def _huge(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    big = ("word " * (MAX_FILE_BYTES // 5 + 1000)).encode()
    for suffix in (".txt", ".html"):
        path = c.root / "huge" / f"big{suffix}"
        c.add("huge", path.name, big, fails(c.label(path), "file too large"))
    path = c.root / "huge" / "long-line.jsonl"
    ok = {"id": f"after-long-line-{c.serial}", "text": _text(rng, ENGLISH, c)}
    data = (
        json.dumps({"id": "long", "text": "word " * (MAX_FILE_BYTES // 5)}).encode()
        + b"\n"
        + json.dumps(ok).encode()
    )
    c.add(
        "huge",
        path.name,
        data,
        fails(f"{c.label(path)}:1", "line too large"),
        Expect(ok["id"], text=ok["text"]),
    )
    path = c.root / "huge" / "no-newline.jsonl"
    c.add("huge", path.name, b"x" * (MAX_FILE_BYTES + 10), fails(f"{c.label(path)}:1", "line too large"))
    path = c.root / "huge" / "big-page.warc.gz"
    _write_warc(
        path, [("https://huge.example/page", page(["word " * (MAX_FILE_BYTES // 5)]).encode(), "text/html")]
    )
    c.inputs.append(BadInput("huge", path, [fails(c.label(path), "file too large")]))


def _deep_html(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    for tag in ("div", "b", "blockquote", "span", "section", "font")[: n(6)]:
        for depth in (300, 600):
            paragraphs = [s + " " + c.unique() for s in rng.sample(ENGLISH, 3)]
            html = page(paragraphs[:1]).replace(
                "</article>",
                f"{f'<{tag}>' * depth}<p>{paragraphs[1]}</p>{f'</{tag}>' * depth}<p>{paragraphs[2]}</p></article>",
            )
            path = c.root / "deep-html" / f"{tag}-{depth}.html"
            c.add("deep-html", path.name, html.encode(), read_as(path, "\n\n".join(paragraphs)))
        for depth in (3000, 20_000):
            path = c.root / "deep-html" / f"{tag}-{depth}.html"
            html = f"<html><body>{f'<{tag}>' * depth}<p>{ENGLISH[0]}</p>{f'</{tag}>' * depth}</body></html>"
            c.add("deep-html", path.name, html.encode(), fails(c.label(path), "more than 2048 deep"))


def _deep_json(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    shapes = [b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000, b"[" * 5000]
    for i in range(n(4)):
        path = c.root / "deep-json" / f"deep-{i}.jsonl"
        ok = {"id": f"deep-json-ok-{i}", "text": _text(rng, ENGLISH, c)}
        nested = {
            "id": f"deep-json-nested-{i}",
            "text": _text(rng, ENGLISH, c),
            "extra": json.loads("[" * 500 + "]" * 500),
        }
        lines = [*shapes, json.dumps(ok).encode(), json.dumps(nested).encode()]
        expects = [
            fails(f"{c.label(path)}:{k + 1}", "nested deeper", "invalid JSON") for k in range(len(shapes))
        ]
        expects += [Expect(ok["id"], text=ok["text"]), Expect(nested["id"], text=nested["text"])]
        c.add("deep-json", path.name, b"\n".join(lines) + b"\n", *expects)


def _gzip_bombs(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    """Small files that decompress to 64 MB: a JSONL line, a WARC record, an HTTP body inside one."""
    megabytes = max(4, n(64))  # past MAX_FILE_BYTES at any scale
    bomb = gzip.compress(b"a" * (megabytes << 20), compresslevel=9)
    path = c.root / "gzip-bombs" / "line.jsonl.gz"
    ok = {"id": "after-bomb", "text": _text(rng, ENGLISH, c)}
    stream = io.BytesIO()
    with gzip.GzipFile(fileobj=stream, mode="wb", compresslevel=9) as out:
        out.write(b'{"id": "bomb", "text": "')
        for _ in range(megabytes):
            out.write(b"a" * (1 << 20))
        out.write(b'"}\n' + json.dumps(ok).encode() + b"\n")
    c.add(
        "gzip-bombs",
        path.name,
        stream.getvalue(),
        fails(f"{c.label(path)}:1", "line too large"),
        Expect(ok["id"], text=ok["text"]),
    )
    path = c.root / "gzip-bombs" / "record.warc.gz"
    _write_warc(
        path,
        [
            (
                "https://bomb.example/a",
                b"<html><body><p>" + b"a" * (megabytes << 20) + b"</p></body></html>",
                "text/html",
            )
        ],
    )
    c.inputs.append(BadInput("gzip-bombs", path, [fails(c.label(path), "file too large")]))
    path = c.root / "gzip-bombs" / "content-encoding.warc.gz"
    _write_warc(path, [("https://bomb.example/b", bomb, "text/html")], encoding="gzip")
    c.inputs.append(BadInput("gzip-bombs", path, [fails(c.label(path), "file too large")]))
    for suffix in (".txt", ".html", ".jsonl"):
        path = c.root / "gzip-bombs" / f"renamed{suffix}"
        c.add("gzip-bombs", path.name, bomb, fails(c.label(path), "gzip-compressed"))


def _write_warc(
    path: Path, responses: list[tuple[str, bytes, str]], *, encoding: str | None = None, gzipped: bool = True
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gzipped)
        for url, body, content_type in responses:
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            fields = [("Content-Type", content_type)] + ([("Content-Encoding", encoding)] if encoding else [])
            headers = StatusAndHeaders("200 OK", fields, protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )


def _warc(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    """Archives cut anywhere: each response whole before the cut is read exactly, and a cut inside a
    record is a failure (a cut exactly between two records leaves a shorter, valid archive). Archives
    with bytes flipped (gzip, whose checksums see it): each page read exactly, or a failure."""
    for i in range(n(200) + n(80)):
        cut = i < n(200)
        gzipped = i % 3 != 2 or not cut  # a flipped byte in a plain WARC's page is a page, read as it is
        pages = [[s + " " + c.unique() for s in rng.sample(ENGLISH, 3)] for _ in range(3)]
        urls = [f"https://warc{i}.example/{k}" for k in range(3)]
        path = c.root / "warc" / f"{'cut' if cut else 'flipped'}-{i}.warc{'.gz' if gzipped else ''}"
        _write_warc(
            path,
            [(u, page(p).encode(), "text/html; charset=utf-8") for u, p in zip(urls, pages, strict=True)],
            gzipped=gzipped,
        )
        data = bytearray(path.read_bytes())
        texts = {u: "\n\n".join(p) for u, p in zip(urls, pages, strict=True)}
        if cut:
            size = rng.randrange(1, len(data))
            spans = _record_spans(path)
            path.write_bytes(bytes(data[:size]))
            expects = [Expect(url, text=texts[url]) for _, end, _, url in spans if url and end <= size]
            between = any(end <= size <= following for _, end, following, _ in spans)
            if not between:
                expects.append(fails(c.label(path), "broken WARC record"))
        else:
            for _ in range(rng.choice([1, 2, 5])):
                data[rng.randrange(len(data))] = rng.randrange(256)
            path.write_bytes(bytes(data))
            expects = [Expect(url, text=text, either=True) for url, text in texts.items()]
        c.inputs.append(BadInput("warc", path, expects))
    path = c.root / "warc" / "not-a-warc.warc"
    c.add(
        "warc",
        path.name,
        b"this is not a WARC file at all\r\n\r\n",
        fails(c.label(path), "broken WARC record"),
    )


def _record_spans(path: Path) -> list[tuple[int, int, int, str | None]]:
    """(start, end, next start, the URL of an HTML response) of each record of a whole WARC: a record
    of a plain WARC ends before the blank lines that follow it."""
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        found = [
            (
                records.get_record_offset(),
                records.get_record_length(),
                r.rec_headers.get_header("WARC-Target-URI") if r.rec_type == "response" else None,
            )
            for r in records
        ]
    size = path.stat().st_size
    starts = [start for start, _, _ in found[1:]] + [size]
    return [
        (start, start + length, nxt, url) for (start, length, url), nxt in zip(found, starts, strict=True)
    ]


# One bad JSON line each, with what its failure must say; valid lines go between them.
BAD_LINES: list[tuple[bytes, str]] = [
    (b'{"id": "x", "text": "broken', "invalid JSON"),
    (b'{"id": "x", "text": "a"} trailing', "invalid JSON"),
    (b'["id", "text"]', "expected a JSON object"),
    (b"42", "expected a JSON object"),
    (b"null", "expected a JSON object"),
    (b'{"text": "no id"}', "missing id"),
    (b'{"id": true, "text": "a"}', "id must be a string or an integer"),
    (b'{"id": 1.5, "text": "a"}', "id must be a string or an integer"),
    (b'{"id": "x", "text": 42}', "text must be a string"),
    (b'{"id": "x", "text": "  "}', "text is empty"),
    (b'{"id": "x", "text": "\\u200b\\u2060"}', "text is empty"),
    (b'{"id": "x", "text": "bad \\ud800 half"}', "lone surrogate"),
    (b'{"id": "x", "text": "a\\u0000b"}', "NUL character"),
    (b'{"id": "x", "text": "a\x00b"}', "NUL byte"),
    (b'{"id": "x", "text": "caf\xe9"}', "not UTF-8"),
    (b'{"id": "x", "text": "a", "title": ["t"]}', "title must be a string"),
    (b'{"id": "x"}', "neither text nor html"),
    (b'{"id": "x", "html": "<html><body><nav>Home</nav></body></html>"}', "no main text"),
    (b'{"id": 1' + b"0" * 5000 + b', "text": "a"}', "4,300 digits"),
    (b"\x00\x00\x00\x00", "NUL byte"),
    (b"\xff\xfe{}", "not UTF-8"),
]


def _jsonl(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    for i in range(n(30)):
        gzipped = i % 4 == 3
        path = c.root / "jsonl" / f"lines-{i}.jsonl{'.gz' if gzipped else ''}"
        lines: list[bytes] = []
        expects: list[Expect] = []
        for bad, reason in rng.sample(BAD_LINES, 12):
            article_id, text = f"jsonl-{i}-{len(lines)}", _text(rng, ENGLISH, c)
            record = (
                {"id": article_id, "html": page([text])}
                if rng.random() < 0.3
                else {"id": article_id, "text": text}
            )
            expects.append(Expect(article_id, text=text))
            lines.append(json.dumps(record, ensure_ascii=rng.random() < 0.5).encode())
            lines.append(bad)
            expects.append(fails(f"{c.label(path)}:{len(lines)}", reason))
        data = (b"\r\n" if i % 5 == 1 else b"\n").join(lines) + b"\n"
        if i % 7 == 2:
            data = codecs.BOM_UTF8 + data
        c.add("jsonl", path.name, gzip.compress(data) if gzipped else data, *expects)


def _nul_bytes(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    for i in range(n(20)):
        text = _text(rng, ENGLISH, c).encode()
        at = rng.choice([0, 1, len(text) // 2, len(text) - 1]) if i < n(10) else None
        data = text[:at] + b"\x00" + text[at:] if at is not None else text + b"\n" * 9000 + b"\x00"
        suffix = ".html" if i % 4 == 0 else ".txt"
        path = c.root / "nul" / f"nul-{i}{suffix}"
        c.add(
            "nul",
            path.name,
            page([data.decode()]).encode() if suffix == ".html" else data,
            fails(c.label(path), "NUL", "binary"),
        )
    for i in range(n(10)):  # one NUL near the start: only the lines that hold one fail
        path = c.root / "nul" / f"lines-{i}.jsonl"
        lines, expects = [], []
        for k in range(6):
            record = {"id": f"nul-{i}-{k}", "text": _text(rng, ENGLISH, c)}
            line = json.dumps(record).encode()
            if k in (0, 3):
                at = rng.randrange(len(line))
                line = line[:at] + b"\x00" + line[at:]
                expects.append(fails(f"{c.label(path)}:{k + 1}", "NUL byte"))
            else:
                expects.append(Expect(record["id"], text=record["text"]))
            lines.append(line)
        c.add("nul", path.name, b"\n".join(lines), *expects)


def _bidi_and_zero_width(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    marks = [
        "\u202e",
        "\u202d",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u2060",
        "\ufeff",
        "\u061c",
    ]
    for i in range(n(40)):
        words = _text(rng, ENGLISH, c).split(" ")
        for _ in range(rng.randint(1, 8)):
            k = rng.randrange(len(words))
            words[k] = words[k][: len(words[k]) // 2] + rng.choice(marks) + words[k][len(words[k]) // 2 :]
        text = " ".join(words)
        suffix = ".jsonl" if i % 3 == 0 else ".txt"
        path = c.root / "bidi" / f"bidi-{i}{suffix}"
        if suffix == ".jsonl":
            c.add(
                "bidi",
                path.name,
                json.dumps({"id": f"bidi-{i}", "text": text}).encode(),
                Expect(f"bidi-{i}", text=text),
            )
        else:
            c.add("bidi", path.name, text.encode(), read_as(path, text))


def _quotation_marks(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    marks = max(100, n(3000))  # 3,000 in the benchmark; fewer in the test suite (it takes 30 s now)
    shapes = {
        "curly": "“" * (marks // 2) + " she said " + "”" * (marks // 2),
        "straight": '"' * marks,
        "alternating": " ".join(["“yes,” he said,"] * (marks // 3)),
    }
    for name, shape in shapes.items():
        text = f"{ENGLISH[0]} {shape} {c.unique()}"
        path = c.root / "quotes" / f"{name}.txt"
        c.add("quotes", path.name, text.encode(), read_as(path, text))


def _odd_names(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    names = [
        b"caf\xe9.txt",
        b"\xff\xfe.txt",
        b"latin\xa0space.txt",
        b"half\xc3.txt",
        b"back\\slash.txt",
        b"looks\\xe9escaped.txt",
        b"new\nline.txt",
        b"tab\there.txt",
        b"-starts-with-dash.txt",
        b" leading space.txt",
        b"trailing space .txt",
        "bidi\u202eevil.txt".encode(),
        "zero\u200bwidth.txt".encode(),
        "caf\u00e9-nfc.txt".encode(),
        "cafe\u0301-nfd.txt".encode(),
        "emoji-\U0001f4f0.txt".encode(),
        b"glob*?[].txt",
        b"quote'\"`.txt",
        b"percent%41.txt",
        b"x" * 250 + b".txt",
        "\u0645\u0631\u062d\u0628\u0627.txt".encode(),
        b"UPPER.TXT",
        b"dots...txt",
        b"colon:name.txt",
        "\u65b0\u805e.txt".encode(),
    ]
    for name in names:
        text = _text(rng, ENGLISH, c)
        path = c.root / "names" / os.fsdecode(name)
        c.add("names", name, text.encode(), read_as(path, text), lossless=True)
    folder = c.root / "names" / os.fsdecode(b"fold\xe9r")
    text = _text(rng, ENGLISH, c)
    c.add(
        "names",
        os.fsencode(folder.name) + b"/inner.txt",
        text.encode(),
        read_as(folder / "inner.txt", text),
        lossless=True,
    )
    odd_type = (
        c.root / "names" / os.fsdecode(b"notes.t\xffxt")
    )  # not an article's suffix: skipped in a folder
    odd_type.write_bytes(b"skipped")


def _special_files(c: Corpus, rng: random.Random, n: Callable[[int], int]) -> None:
    root = c.root / "special"
    (root / "sub").mkdir(parents=True)
    specials: list[tuple[str, Callable[[Path], None], str]] = [
        ("self-loop.txt", lambda p: os.symlink(p.name, p), "loops"),
        ("loop-a.txt", lambda p: os.symlink("loop-b.txt", p), "loops"),
        ("loop-b.txt", lambda p: os.symlink("loop-a.txt", p), "loops"),
        ("dangling.txt", lambda p: os.symlink("missing.txt", p), "dangling"),
        ("dangling-dir", lambda p: os.symlink("no-such-folder", p), "dangling"),
        ("fifo.txt", lambda p: os.mkfifo(p), "named pipe"),
        ("fifo.jsonl", lambda p: os.mkfifo(p), "named pipe"),
        ("fifo.warc.gz", lambda p: os.mkfifo(p), "named pipe"),
        ("fifo.html", lambda p: os.mkfifo(p), "named pipe"),
        ("socket.txt", _socket, "socket"),
        ("socket.jsonl", _socket, "socket"),
        ("null.txt", lambda p: os.symlink("/dev/null", p), "character device"),
        ("zero.txt", lambda p: os.symlink("/dev/zero", p), "character device"),
        ("urandom.html", lambda p: os.symlink("/dev/urandom", p), "character device"),
        ("tty.jsonl", lambda p: os.symlink("/dev/tty", p), "character device"),
        ("sub/up", lambda p: os.symlink("..", p), "a link back to a folder being read"),
        ("sub/root", lambda p: os.symlink(c.root, p), "a link back to a folder being read"),
    ]
    for name, make, reason in specials:
        path = root / name
        make(path)
        c.inputs.append(BadInput("special", path, [fails(c.label(path), reason)]))
    os.mkfifo(root / "fifo.bin")  # not an article's suffix: skipped, like any other file type
    elsewhere = c.root.parent / f"{c.root.name}-elsewhere"
    elsewhere.mkdir(exist_ok=True)
    text = _text(rng, ENGLISH, c)
    (elsewhere / "linked.txt").write_text(text, encoding="utf-8")
    os.symlink(elsewhere, root / "linked-folder")
    c.inputs.append(
        BadInput(
            "special",
            root / "linked-folder" / "linked.txt",
            [read_as(root / "linked-folder" / "linked.txt", text)],
        )
    )


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


# --- checking a database against the corpus ---------------------------------------------------


@dataclass(slots=True)
class Tally:
    inputs: int = 0  # files
    outcomes: int = 0  # expected outcomes (a JSONL line, a WARC page, a file)
    read_right: int = 0
    failed_with_reason: int = 0
    wrong: list[str] = field(default_factory=list)


def check(corpus: Corpus, store: Store) -> dict[str, Tally]:
    """Each input's expected outcomes against what ``store`` holds, by category."""
    failures: dict[str, list[str]] = {}
    for failure in store.failures():
        failures.setdefault(failure.source, []).append(failure.reason)
    tallies: dict[str, Tally] = {}
    for bad in corpus.inputs:
        tally = tallies.setdefault(bad.category, Tally())
        tally.inputs += 1
        for expect in bad.expects:
            tally.outcomes += 1
            outcome = _outcome(expect, store, failures, bad)
            if outcome == "read":
                tally.read_right += 1
            elif outcome == "failed":
                tally.failed_with_reason += 1
            else:
                tally.wrong.append(f"{bad.category}: {path_label(bad.path)!r}: {outcome}")
    return tallies


def _failures_of(source: str, failures: dict[str, list[str]]) -> list[str]:
    """The reasons recorded for ``source``, or at any offset of it (a WARC's records: ``source@N``)."""
    return [
        reason
        for s, reasons in failures.items()
        if s == source or s.startswith(f"{source}@")
        for reason in reasons
    ]


def _outcome(expect: Expect, store: Store, failures: dict[str, list[str]], bad: BadInput) -> str:
    """ "read" or "failed" when the input came out as expected; else what went wrong."""
    if expect.read:
        article = store.article(expect.source)
        if article is None:
            of_file = _failures_of(path_label(bad.path), failures)
            if expect.either and of_file:
                return "failed"
            return f"{expect.source!r} not stored" + (f" (failures: {of_file})" if of_file else "")
        if article.text != expect.text:
            return f"{expect.source!r} stored as {article.text[:80]!r}, expected {str(expect.text)[:80]!r}"
        if bad.lossless_name and path_from_label(article.id).read_bytes() != bad.path.read_bytes():
            return f"the stored id {article.id!r} does not name the file"
        return "read"
    reasons = _failures_of(expect.source, failures)
    if not reasons:
        return f"no failure recorded for {expect.source!r}"
    if not any(want in reason for reason in reasons for want in expect.reason):
        return f"failure of {expect.source!r} says {reasons}, expected one of {list(expect.reason)}"
    return "failed"


# --- running the commands ---------------------------------------------------------------------


# The summary line each command prints when its run is over: `ingest` exits 1 after it when it read
# nothing (a folder of bad inputs only), which is no crash.
_FINISHED = {
    "ingest": re.compile(r"^stored \d+ article\(s\)", re.MULTILINE),
    "batch": re.compile(r"^processed \d+ article\(s\)", re.MULTILINE),
    "load": re.compile(r"^loaded \d+ shard\(s\)", re.MULTILINE),
}


@dataclass(slots=True)
class Run:
    command: str
    seconds: float
    exit_code: int | None  # None: killed at the time limit
    traceback: bool
    summary: bool  # the command printed the summary line of a run that is over
    tail: str


def run(args: list[str], env: dict[str, str]) -> Run:
    quotegraph = str(Path(sys.executable).with_name("quotegraph"))
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [quotegraph, *args], env=env, capture_output=True, timeout=COMMAND_TIMEOUT, check=False
        )
        code: int | None = done.returncode
        output = (done.stdout + done.stderr).decode("utf-8", "replace")
    except subprocess.TimeoutExpired as exc:
        code, output = None, ((exc.stdout or b"") + (exc.stderr or b"")).decode("utf-8", "replace")
    seconds = time.perf_counter() - started
    return Run(
        "quotegraph " + shlex.join(args),
        seconds,
        code,
        "Traceback (most recent call last)" in output,
        _FINISHED[args[0]].search(output) is not None,
        output[-2000:],
    )


def crashed(result: Run) -> bool:
    """A traceback, the time limit, or an exit other than 0 without the command's summary (a run
    stopped by an error)."""
    return result.traceback or result.exit_code is None or (result.exit_code != 0 and not result.summary)


def section_bad_inputs(args: argparse.Namespace) -> str:
    """The corpus through ingest, and through batch + load, with this tree's commands (and the
    baseline's, on the same corpus, when one is given); the section's Markdown."""
    with tempfile.TemporaryDirectory(prefix="qg-robustness-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        corpus = generate(work / "corpus", scale=args.scale)
        print(f"corpus made in {time.perf_counter() - started:.1f} s at {corpus.root}")
        results: dict[str, tuple[list[Run], dict[str, Tally]]] = {}
        trees: list[tuple[str, Path | None]] = [("", None)]
        if args.baseline:
            trees.append(
                (f" at {args.baseline} (baseline)", _source_tree(args.baseline, work / "baseline-src"))
            )
        for suffix, src in trees:
            env = {**os.environ, "QUOTEGRAPH_MAX_FILE_BYTES": str(MAX_FILE_BYTES)}
            if src is not None:
                env["PYTHONPATH"] = str(src)
            out = work / ("baseline" if src else "this-tree")
            out.mkdir(exist_ok=True)
            ingest = run(["ingest", str(corpus.root), "--db", str(out / "ingest.db")], env)
            with open_store(str(out / "ingest.db")) as store:
                results[f"ingest{suffix}"] = ([ingest], check(corpus, store))
            if src is not None:  # the baseline's run may stop at its first crash: each category alone too
                results[f"ingest{suffix}, one run per category"] = _per_category(corpus, out, env)
            batch_args = [
                "batch",
                str(corpus.root),
                "--out",
                str(out / "batch"),
                "--workers",
                str(args.workers),
            ]
            batch = run([*batch_args, "--exact-duplicates-only"], env)
            load = run(["load", str(out / "batch"), "--db", str(out / "batch.db")], env)
            with open_store(str(out / "batch.db")) as store:
                results[f"batch + load{suffix}"] = ([batch, load], check(corpus, store))
        return _markdown(corpus, results, args)


CATEGORIES = {
    "binary": "images, archives and PDFs renamed .txt/.html/.jsonl; random bytes",
    "encodings": "Western (cp1252), Polish (cp1250), Russian (cp1251, KOI8-R), Greek, Japanese, Chinese; "
    "UTF-16 without a BOM; BOMs; UTF-8 and cp1252 mixed by line and within a line; pages with no or a wrong charset",
    "empty": "empty, whitespace, zero-width, bidi controls, fillers, a BOM alone",
    "huge": "files, a JSONL line, a line without an end, a WARC page over the size limit",
    "deep-html": "300 and 600 elements deep (read), 3,000 and 20,000 (refused), six tags",
    "deep-json": "100,000-deep lines beside good ones, a record with a 500-deep field",
    "gzip-bombs": "64 MB in a .jsonl.gz line, a WARC record, an HTTP gzip body; a bomb renamed .txt",
    "warc": "archives cut at a random byte (plain and gzip), gzip archives with bytes flipped",
    "jsonl": "12 kinds of bad line each between good ones (text and html records), CRLF, a BOM, gzip",
    "nul": "NUL bytes in text and pages; JSONL files with NUL bytes in two lines of six",
    "bidi": "bidi overrides, isolates and zero-width characters inside words",
    "quotes": "3,000 quotation marks in one article, three shapes",
    "names": "file names with bytes that are not UTF-8, newlines, bidi, NFD, 254 bytes, a leading dash",
    "special": "link loops (self, pair, back to a folder), dangling links, FIFOs, sockets, devices, a linked folder",
}


def _per_category(corpus: Corpus, out: Path, env: dict[str, str]) -> tuple[list[Run], dict[str, Tally]]:
    """``ingest`` of each category's folder into a database of its own, each checked alone."""
    runs, tallies = [], {}
    for category in dict.fromkeys(b.category for b in corpus.inputs):
        db = out / f"ingest-{category}.db"
        runs.append(run(["ingest", str(corpus.root / category), "--db", str(db)], env))
        with open_store(str(db)) as store:
            alone = Corpus(corpus.root, [b for b in corpus.inputs if b.category == category])
            tallies.update(check(alone, store))
    return runs, tallies


def _source_tree(commit: str, folder: Path) -> Path:
    """The src/ folder of ``commit`` of this repository, for running its commands."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", commit, "src"], capture_output=True, check=True
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder / "src"


def _markdown(
    corpus: Corpus, results: dict[str, tuple[list[Run], dict[str, Tally]]], args: argparse.Namespace
) -> str:
    from throughput import code_version, machine

    files = len(corpus.inputs)
    outcomes = sum(len(b.expects) for b in corpus.inputs)
    baseline = f" --baseline {args.baseline}" if args.baseline else ""
    count = Counter(b.category for b in corpus.inputs)
    lines = [
        "## Bad inputs through `ingest` and `batch` + `load`",
        "",
        f"`.venv/bin/python benchmarks/robustness.py --sections bad-inputs --scale {args.scale} "
        f"--workers {args.workers}{baseline}` at {code_version()}; {machine()}.",
        "",
        f"{files} generated input files holding {outcomes} expected outcomes (a file, each line of a JSONL file, "
        f"each page of a WARC); the commands ran with `QUOTEGRAPH_MAX_FILE_BYTES={MAX_FILE_BYTES}`. An outcome is "
        "*right* when the input was read with exactly the text written (code pages, file names, the lines around a "
        "bad line, each whole page before a cut), or recorded as a failure whose reason names what is wrong; a page "
        "of an archive with flipped bytes is right when read exactly or when its file has a failure. A *crash* is "
        "a traceback, the time limit, or an exit other than 0 before the command's summary line (`ingest` exits 1 "
        "after it when it stored nothing).",
        "",
        "| run | crashes | outcomes not right | seconds |",
        "|---|---|---|---|",
    ]
    for name, (runs, tallies) in results.items():
        wrong = sum(len(t.wrong) for t in tallies.values())
        seconds = (
            " + ".join(f"{r.seconds:.0f}" for r in runs)
            if len(runs) < 4
            else f"{sum(r.seconds for r in runs):.0f} in all"
        )
        lines.append(f"| {name} | {sum(crashed(r) for r in runs)} | {wrong} of {outcomes} | {seconds} |")
    lines += ["", "| category | files | what |", "|---|---|---|"]
    lines += [f"| {category} | {count[category]} | {CATEGORIES[category]} |" for category in count]
    for name, (runs, tallies) in results.items():
        wrong_list = [w for t in tallies.values() for w in t.wrong]
        lines += [
            "",
            f"### {name}",
            "",
            *(
                f"- `{r.command}`: exit {r.exit_code if r.exit_code is not None else 'killed at the time limit'}"
                f"{', a traceback' if r.traceback else ''}, {r.seconds:.0f} s"
                for r in runs
            ),
            "",
            "| category | outcomes | read exactly | failed with a reason | not right |",
            "|---|---|---|---|---|",
            *(
                f"| {category} | {t.outcomes} | {t.read_right} | {t.failed_with_reason} | {len(t.wrong)} |"
                for category, t in tallies.items()
            ),
            f"| **all** | {sum(t.outcomes for t in tallies.values())} | "
            f"{sum(t.read_right for t in tallies.values())} | "
            f"{sum(t.failed_with_reason for t in tallies.values())} | {len(wrong_list)} |",
        ]
        if wrong_list:
            lines += ["", "Not right (the first 10):", "", *(f"- {w[:300]}" for w in wrong_list[:10])]
        for r in runs:
            if crashed(r):
                lines += [
                    "",
                    f"The end of `{r.command}`'s output:",
                    "",
                    "```",
                    "\n".join(r.tail.strip().splitlines()[-4:]),
                    "```",
                ]
    return "\n".join(lines)
