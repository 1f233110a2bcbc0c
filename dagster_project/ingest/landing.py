"""What lies in the landing directory as a whole: the folders the contracts claim, and what no
contract claims (a folder of an older layout, a typo such as `financien/grootbok/`, a file next
to the folders). Nothing unclaimed is read; it is reported (the run summary, Dagster, the
quarantine and so the report's verantwoording), and a landing directory in which no contract
finds its folder stops the run (docs/sources.md, "The landing directory").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .contracts import Contract
from .delivery import landing_entries


class NoSourceFolder(Exception):
    """The landing directory holds no folder of any contract: a wrong directory or an older layout."""


@dataclass(frozen=True)
class Landing:
    directory: Path
    expected: tuple[str, ...]  # every contract's folder, `financien/grootboek/`
    found: tuple[str, ...]     # those that exist
    unknown: tuple[str, ...]   # entries no contract claims, relative: `financien/grootbok/`, `finance/`

    def describe_unknown(self) -> str:
        return f"{self.directory}: {not_claimed(self.unknown, self.expected)}"


def not_claimed(unknown: Iterable[str], expected: Iterable[str]) -> str:
    """What the run says of the entries no source claims."""
    unknown = list(unknown)
    return (f"not read, no source claims {'it' if len(unknown) == 1 else 'them'}: {', '.join(unknown)} "
            f"(the source folders are {', '.join(expected)})")


def _shown(relative: str, path: Path) -> str:
    return relative + "/" if path.is_dir() else relative


def survey(directory: Path, contracts: Iterable[Contract]) -> Landing:
    """The landing directory's folders: expected, found and unclaimed (hidden entries and Office lock
    files left out, as in a source folder)."""
    folders = {c.folder for c in contracts}
    domains = {folder.split("/")[0] for folder in folders}
    expected = tuple(sorted(f + "/" for f in folders))
    if not directory.is_dir():
        return Landing(directory, expected, (), ())
    found, unknown = [], []
    for entry in landing_entries(directory):
        if entry.name not in domains or not entry.path.is_dir():
            unknown.append(_shown(entry.name, entry.path))
            continue
        for inner in landing_entries(entry.path):
            relative = f"{entry.name}/{inner.name}"
            if relative not in folders:
                unknown.append(_shown(relative, inner.path))
            elif inner.path.is_dir():  # a source folder that is not a folder is that source's problem
                found.append(relative + "/")
    return Landing(directory, expected, tuple(found), tuple(unknown))


def require_a_source_folder(landing: Landing) -> None:
    """A landing directory in which no contract finds its folder: never publish empty facts from it."""
    if landing.found:
        return
    what = ("does not exist" if not landing.directory.is_dir()
            else "holds no source folder" + (f" (it holds {', '.join(landing.unknown)})" if landing.unknown else ""))
    raise NoSourceFolder(
        f"the landing directory {landing.directory} {what}: no source finds its folder, so the run stops instead "
        f"of publishing empty facts. The source folders are {', '.join(landing.expected)}; check "
        "WAREHOUSE_LANDING_DIR (docs/operations.md) and the layout (docs/sources.md).")
