"""Putting a finished build in place: only over an earlier build, and with no moment without one.

A build is written into a staging folder beside the output and then exchanged with it in one
``renameat2(RENAME_EXCHANGE)`` call, so a reader polling the output always finds a whole build,
old or new. Where the kernel or file system cannot exchange, two renames are used, and a build
that was killed between them is restored by the next. Staging folders of killed builds are
removed. A folder is replaced only if it is provably a spasmkg build and holds nothing else: each
entry a plain file that its manifest lists with the checksum it has (a manifest that lists a
folder, such as ``src``, makes nothing replaceable).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
from pathlib import Path

from spasmkg.errors import OutputError
from spasmkg.system import exchange, file_sha256, process_alive

#: The checksums of a build, written last, over every other file.
MANIFEST = "manifest.json"


def staging_folder(out: Path) -> Path:
    """This process's staging folder for an output folder."""
    return out.with_name(f".{out.name}.tmp-{os.getpid()}")


def leftovers(out: Path) -> list[tuple[Path, str]]:
    """Staging (``tmp``) and retired (``old``) folders of builds whose process is gone."""
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(tmp|old)-(\d+)")
    found = []
    for path in sorted(out.parent.glob(f".{out.name}.*")) if out.parent.is_dir() else []:
        match = pattern.fullmatch(path.name)
        if match and path.is_dir() and not process_alive(int(match.group(2))):
            found.append((path, match.group(1)))
    return found


def recover(out: Path) -> None:
    """Restore a build lost between two renames, then remove what killed builds left behind."""
    for path, kind in leftovers(out):
        if kind == "old" and not out.exists():
            os.replace(path, out)
        else:
            shutil.rmtree(path, ignore_errors=True)


def listed_files(folder: Path) -> dict[str, str] | None:
    """The files a build's manifest lists, with their checksums, or None when the folder
    holds no valid manifest."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or "spasmkg" not in manifest:
        return None
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(n, str) and "/" not in n and isinstance(d, str) for n, d in files.items()
    ):
        return None
    return dict(files)


def written_by_the_build(path: Path, digest: str) -> bool:
    """True when a path is a plain file with the checksum its build recorded: not a folder or
    a link that a manifest names, not a file changed since."""
    if path.is_symlink() or not path.is_file():
        return False
    return file_sha256(path) == digest


def check_replaceable(out: Path) -> None:
    """Refuse to replace anything but an empty folder or an earlier build holding only the
    files that build wrote.

    :raises OutputError: the path is a file, or a folder that is not (only) a spasmkg build.
    """
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out}: is a file, not a build folder; choose another --out")
    present = {path.name for path in out.iterdir()}
    if not present:
        return
    listed = listed_files(out)
    if listed is None or (out / MANIFEST).is_symlink():
        raise OutputError(
            f"{out}: is not a spasmkg build (no valid {MANIFEST}); choose another --out or remove it"
        )
    foreign = sorted(
        name
        for name in present - {MANIFEST}
        if name not in listed or not written_by_the_build(out / name, listed[name])
    )
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise OutputError(
            f"{out}: holds what its build did not write, or changed since ({shown}); "
            "remove it or choose another --out"
        )


def swap_into_place(staging: Path, out: Path) -> None:
    """Make ``staging`` the output; the path holds a whole build at every instant."""
    if not out.exists():
        os.replace(staging, out)
        return
    if exchange(staging, out):
        shutil.rmtree(staging)  # now the earlier build
        return
    retired = out.with_name(f".{out.name}.old-{os.getpid()}")
    os.replace(out, retired)
    os.replace(staging, out)
    with contextlib.suppress(OSError):
        shutil.rmtree(retired)
