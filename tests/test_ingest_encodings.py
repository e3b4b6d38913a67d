"""Which encoding bytes are read in: the rules of ``ingest/decode.py`` as tables of bytes and text.

Every sentence is invented for this file and encoded here, so each case says exactly which bytes
are read and what text must come out.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from quotegraph.errors import InputError
from quotegraph.ingest import read_inputs
from quotegraph.ingest.decode import decode_bytes
from quotegraph.model import Article, IngestFailure

NORWEGIAN = "Østfold: Ørjan ønsker å åpne kjøkkenet på søndag."
FRENCH = (
    "Les élèves de Besançon ont reçu leur leçon très tôt. Le garçon, déçu, a pleuré après la fête de Noël."
)
POLISH = "Premier powiedział, że rząd przyjmie ustawę w przyszłym tygodniu. „Jesteśmy gotowi”, dodał minister z Łodzi."
RUSSIAN = 'Министр заявил, что правительство примет закон на следующей неделе. "Мы готовы", сказал он.'
GREEK = "Ο υπουργός δήλωσε ότι η κυβέρνηση θα ψηφίσει τον νόμο την επόμενη εβδομάδα."
JAPANESE = "大臣は来週、政府が法案を可決すると述べた。会議は東京で開かれ、市民も参加できる。"
CHINESE = "部长说，政府将在下周通过这项法律。会议在北京举行，市民可以参加。"
ENGLISH = "The mayor said the bridge would reopen on Monday, after two weeks of repairs."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # Western text read as a Baltic or Central European code page before ("Ųstfold", "Besanįon").
        pytest.param(NORWEGIAN.encode("cp1252"), NORWEGIAN, id="cp1252 Norwegian, not Baltic"),
        pytest.param(FRENCH.encode("cp1252"), FRENCH, id="cp1252 French, not Baltic"),
        # A symbol or "¿" inside words is Polish read as Western ("powiedzia³, ¿e").
        pytest.param(POLISH.encode("cp1250"), POLISH, id="cp1250 Polish"),
        pytest.param(  # "ą" is "¹" in Windows-1252: a superscript inside or at the end of a word
            "Mieszkańcy Gdańska czekają na nowy most nad rzeką.".encode("cp1250"),
            "Mieszkańcy Gdańska czekają na nowy most nad rzeką.",
            id="cp1250 Polish whose ą reads as ¹",
        ),
        # Cyrillic with the case of every letter swapped is KOI8-R read as Windows-1251.
        pytest.param(RUSSIAN.encode("koi8_r"), RUSSIAN, id="KOI8-R Russian"),
        # UTF-16 without a byte-order mark was refused as binary (its zero bytes).
        pytest.param(ENGLISH.encode("utf-16-le"), ENGLISH, id="UTF-16 LE without BOM"),
        pytest.param(ENGLISH.encode("utf-16-be"), ENGLISH, id="UTF-16 BE without BOM"),
        pytest.param(RUSSIAN.encode("utf-16-le"), RUSSIAN, id="UTF-16 LE Cyrillic without BOM"),
        # A file edited by two programs: UTF-8 lines and Windows-1252 lines, each read in its own.
        pytest.param(
            "Første linje er UTF-8: café.\n".encode() + "Andre linje: Østfold og “Bø”.\n".encode("cp1252"),
            "Første linje er UTF-8: café.\nAndre linje: Østfold og “Bø”.\n",
            id="UTF-8 and cp1252 lines",
        ),
        pytest.param(
            "Sitat fra Bærum: ".encode() + "«Vi åpner i Ørje»".encode("cp1252") + ", sa Müller.".encode(),
            "Sitat fra Bærum: «Vi åpner i Ørje», sa Müller.",
            id="UTF-8 and cp1252 in one line",
        ),
    ],
)
def test_read_in_the_right_encoding(data: bytes, expected: str) -> None:
    assert decode_bytes(data, source="f.txt") == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(RUSSIAN.encode("cp1251"), RUSSIAN, id="cp1251 Russian"),
        pytest.param(GREEK.encode("cp1253"), GREEK, id="cp1253 Greek"),
        pytest.param(JAPANESE.encode("shift_jis"), JAPANESE, id="Shift_JIS Japanese"),
        pytest.param(CHINESE.encode("gb2312"), CHINESE, id="GB2312 Chinese"),
        pytest.param(
            "Der Bürgermeister sagte: „Wir bleiben hier.“ 120 m² wurden geräumt.".encode("cp1252"),
            "Der Bürgermeister sagte: „Wir bleiben hier.“ 120 m² wurden geräumt.",
            id="cp1252 with m² beside a letter",
        ),
    ],
)
def test_other_scripts_are_not_taken_for_western(data: bytes, expected: str) -> None:
    """Read right before too: Windows-1252 wins ties, never a text another code page reads cleanly."""
    assert decode_bytes(data, source="f.txt") == expected


def _words_of_high_bytes() -> bytes:
    """Random bytes above 0x7F in words of about six: text in no language, in any code page."""
    rng = random.Random(3)
    return bytes(rng.randrange(0x80, 0x100) if rng.random() < 0.85 else 0x20 for _ in range(400))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param("\u200b\u200d\ufeff\u2060 \n".encode(), "invisible characters", id="zero-width only"),
        pytest.param("\u202e\u202d\u2066 \u2069\n".encode(), "invisible characters", id="bidi controls only"),
        pytest.param("\u3164\u115f\n\u00a0".encode(), "invisible characters", id="fillers only"),
        pytest.param(b"a" * 9000 + b"\x00rest", "a NUL byte at offset 9000", id="NUL past the first 8 KB"),
        pytest.param(
            bytes.fromhex("695b26f6e0b03fff7bbbed3b312659304743869a2557ca4fc42b5858ce696da5a1b6")
            + bytes.fromhex("53409e895cb5b6a41bce3ee973cb693da58c40d26827b135b94136f9ee"),
            "no code page reads it cleanly",
            id="64 random bytes, one long word",
        ),
        pytest.param(  # refused before too, as "no known encoding fits"
            _words_of_high_bytes(),
            "no code page reads it cleanly",
            id="high bytes no language writes",
        ),
    ],
)
def test_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        decode_bytes(data, source="bad.txt")


def test_files_read_through_the_same_rules(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(NORWEGIAN.encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(ENGLISH.encode("utf-16-le"))
    (tmp_path / "c.txt").write_bytes("\u200b\u200b\n".encode())
    (tmp_path / "d.html").write_bytes(
        f"<html><body><article><p>{FRENCH}</p></article></body></html>".encode("cp1252")
    )
    a, b, c, d = read_inputs([tmp_path])
    assert isinstance(a, Article) and a.text == NORWEGIAN
    assert isinstance(b, Article) and b.text == ENGLISH
    assert c == IngestFailure(
        str(tmp_path / "c.txt"), "file is empty (only whitespace or invisible characters)"
    )
    assert isinstance(d, Article) and d.text == FRENCH
