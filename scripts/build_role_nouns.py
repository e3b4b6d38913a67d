"""Build src/quotegraph/resolve/role_nouns.txt: the nouns that name a role, office, occupation,
relation or membership, taken from Princeton WordNet 3.0 (Debian's ``wordnet-base``, 1:3.0-37:
``apt-get install wordnet-base``), so that a description is kept as a person's role only when its
head noun is one of them ("leader", "spokesperson", "senator", "wife", "member") and never an
evaluation ("liar", "fraud"), a bare person noun ("woman") or a thing ("words", "way").

A noun is a role noun when its most frequent sense names a kind of person (WordNet's noun.person
file) under one of ``ROLE_ROOTS`` and under none of ``JUDGEMENTS`` (the kinds of person a word
judges: a bad, unpleasant, foolish or unlucky one); where only a later sense does, it is a role
only with a noun modifier or complement ("news anchor", "head of the agency"). Only the file this writes ships with the
package; rerun this script to rebuild it:

    python3 scripts/build_role_nouns.py [--wordnet /usr/share/wordnet]
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "quotegraph" / "resolve" / "role_nouns.txt"
PERSON_FILE = 18  # WordNet lexicographer file noun.person

# Synsets (as "lemma.n.NN", WordNet's sense numbering) whose hyponyms name roles: occupations and
# offices (worker, professional, leader, expert, representative, ruler), relations (relative,
# spouse, friend, associate, adversary, contestant), memberships and affiliations (member,
# advocate, national, inhabitant, enrollee), and what a person is to an enterprise (creator,
# capitalist, owner, candidate, appointee).
ROLE_ROOTS = """
worker.n.01 professional.n.01 leader.n.01 expert.n.01 representative.n.01 ruler.n.01 communicator.n.01
relative.n.01 spouse.n.01 domestic_partner.n.01 friend.n.01 associate.n.01 peer.n.01 adversary.n.01
contestant.n.01 member.n.01 advocate.n.01 national.n.01 inhabitant.n.01 enrollee.n.01 creator.n.02
capitalist.n.02 owner.n.02 candidate.n.02 appointee.n.02 entertainer.n.01 intellectual.n.01
scientist.n.01 planner.n.01 religious_person.n.01 employer.n.01 disputant.n.01 defender.n.01
""".split()
# Kinds of person that are judgements, not roles: a word whose main person sense lies under one
# of these ("liar" under deceiver, "clown" under fool) is never a role.
JUDGEMENTS = """
bad_person.n.01 unpleasant_person.n.01 unwelcome_person.n.01 wrongdoer.n.01 simpleton.n.01
unskilled_person.n.01 unfortunate.n.01 good_person.n.01 weakling.n.01 anomaly.n.02 misfit.n.01
bigot.n.01
""".split()
# Single words under the roots above that judge rather than describe (WordNet files them under
# leader or ruler), and the bare words for a person that one of their rarer senses files under a
# role ("woman" as a cleaner): never a role in a news description. "Bobby", a given name before a
# surname far more often than British slang for a policeman, neither.
NOT_ROLES = set(
    "hero heroine demagogue tyrant despot idol genius man woman boy girl lady gentleman guy person child kid "
    "bobby".split()
)


def read_nouns(wordnet: Path) -> tuple[dict[str, tuple[int, list[str], list[str]]], dict[str, list[str]]]:
    """Synsets by offset (lexicographer file, words, hypernym offsets) and each lemma's synsets in
    sense order; a synset of one named individual ("Noel Coward", an instance) has no hypernyms."""
    synsets: dict[str, tuple[int, list[str], list[str]]] = {}
    for line in (wordnet / "data.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        fields = line.partition(" | ")[0].split()
        offset, lexfile, count = fields[0], int(fields[1]), int(fields[3], 16)
        words = [fields[4 + 2 * i].lower() for i in range(count)]
        at = 4 + 2 * count
        pointers = int(fields[at])
        hypernyms = [
            fields[at + 2 + 4 * p]
            for p in range(pointers)
            if fields[at + 1 + 4 * p] == "@" and fields[at + 3 + 4 * p] == "n"
        ]
        synsets[offset] = (lexfile, words, hypernyms)
    senses: dict[str, list[str]] = {}
    for line in (wordnet / "index.noun").read_text(encoding="latin-1").splitlines():
        if line.startswith("  "):
            continue
        fields = line.split()
        lemma, count, pointers = fields[0], int(fields[2]), int(fields[3])
        senses[lemma] = fields[4 + pointers + 2 :][:count]
    return synsets, senses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"))
    args = parser.parse_args()
    synsets, senses = read_nouns(args.wordnet)

    def named(name: str) -> str:
        lemma, _, number = name.split(".")
        return senses[lemma][int(number) - 1]

    roots, judgements = {named(r) for r in ROLE_ROOTS}, {named(j) for j in JUDGEMENTS}

    def above(offset: str) -> set[str]:
        seen, todo = set(), [offset]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(synsets[current][2])
        return seen

    roles = []
    for lemma, offsets in senses.items():
        if "_" in lemma or not lemma.isalpha() or lemma in NOT_ROLES:
            continue
        people = [o for o in offsets if synsets[o][0] == PERSON_FILE and synsets[o][2]]
        if not people or above(people[0]) & judgements:
            continue
        if offsets[0] == people[0] and above(people[0]) & roots:
            roles.append(lemma)
        elif any(above(o) & roots for o in people):
            # a word whose main sense is no role ("head", "anchor", "host", "woman") is a role only
            # with nouns that make it one ("the head of the agency", "news anchor"): "modified"
            roles.append(f"{lemma}\tmodified")
    header = [
        "# Role nouns: built by scripts/build_role_nouns.py from WordNet 3.0 (Debian wordnet-base 1:3.0-37).",
        "# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND",
        "# DATABASE IS PROVIDED 'AS IS' AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES,",
        "# EXPRESS OR IMPLIED. The name of Princeton University or Princeton may not be used in advertising",
        "# or publicity pertaining to distribution of the software and/or database (WordNet 3.0 license).",
        "# One noun a line; 'modified' after a tab: a role only with a modifier or complement.",
    ]
    OUT.write_text("\n".join([*header, *sorted(roles)]) + "\n", encoding="utf-8")
    print(f"{len(roles)} role nouns -> {OUT}")


if __name__ == "__main__":
    main()
