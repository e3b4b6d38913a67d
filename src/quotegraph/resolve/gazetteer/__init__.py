"""An offline gazetteer of the world's places, built from registry packages (no network) once per set
of their versions and kept on disk (``cache``), loaded in a fraction of a second after that.

- ``index``: the look-up itself, and the compact arrays it is stored as;
- ``geometry``: where countries, regions and counties are placed (the centres of their land);
- ``sources``: what each package adds, and under which names;
- ``packages``: the registry packages it is built from, their versions and data folders;
- ``cache``: building once per set of versions, keeping, and loading.
"""

from quotegraph.resolve.gazetteer.cache import load_gazetteer
from quotegraph.resolve.gazetteer.index import (
    AIRPORT_WORDS,
    DESIGNATORS,
    TOWN_WORDS,
    Entry,
    Gazetteer,
    place_key,
)
from quotegraph.resolve.gazetteer.packages import package_dir

__all__ = [
    "AIRPORT_WORDS",
    "DESIGNATORS",
    "TOWN_WORDS",
    "Entry",
    "Gazetteer",
    "load_gazetteer",
    "package_dir",
    "place_key",
]
