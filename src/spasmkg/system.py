"""What spasmkg asks of the operating system, in one place."""

from __future__ import annotations

import os


def process_alive(pid: int) -> bool:
    """True while a process with this ID exists (ours or another user's)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
