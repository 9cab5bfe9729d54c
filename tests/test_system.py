"""Work done in a forked copy of the process: what a build's validation runs in."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time

import pytest

from spasmkg.system import Forked, process_alive


@pytest.fixture(autouse=True)
def alone() -> None:
    """Forked forks only in a process with one thread: let the threads earlier tests left
    (a browser driver's, a server's) end, and name any that do not."""
    deadline = time.monotonic() + 10
    while threading.active_count() > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    others = [thread.name for thread in threading.enumerate() if thread.name != "MainThread"]
    assert not others, f"threads left running by earlier tests: {others}"


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    parent = os.getpid()
    with Forked(lambda: (os.getpid(), {"violations": ["a", "b"]})) as forked:
        child, result = forked.result()
    assert child != parent
    assert result == {"violations": ["a", "b"]}


def test_the_copy_sees_what_the_caller_had_loaded_without_pickling_it() -> None:
    loaded = threading.Lock()  # a lock cannot be pickled, so it cannot have been sent
    with Forked(lambda: type(loaded).__name__) as forked:
        assert forked.result() == "lock"


def test_what_the_work_raises_is_raised_to_the_caller() -> None:
    def fail() -> None:
        raise ValueError("the graph has 2 violations")

    with Forked(fail) as forked, pytest.raises(ValueError, match="the graph has 2 violations"):
        forked.result()


def test_an_error_that_cannot_be_pickled_still_reaches_the_caller_as_text() -> None:
    class Local(Exception):  # a class defined in a function cannot be pickled
        pass

    def fail() -> None:
        raise Local("shapes file unreadable")

    with Forked(fail) as forked, pytest.raises(ChildProcessError, match="shapes file unreadable"):
        forked.result()


def test_a_copy_that_dies_without_a_result_is_an_error_not_a_hang() -> None:
    with Forked(lambda: os._exit(3)) as forked, pytest.raises(ChildProcessError, match="ended"):
        forked.result()


def open_descriptors() -> int:
    """How many file descriptors this process has open."""
    return len(os.listdir("/proc/self/fd"))


def test_a_caller_that_fails_first_ends_the_copy() -> None:
    before = open_descriptors()
    with (
        pytest.raises(RuntimeError, match="writer failed"),
        Forked(lambda: time.sleep(60)) as forked,
    ):
        pid = forked.pid
        assert process_alive(pid)
        raise RuntimeError("writer failed")
    assert not process_alive(pid), "the copy was killed and reaped, not left running"
    assert open_descriptors() == before, "the pipe is closed"


def test_without_fork_the_work_runs_at_once_in_this_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(os, "fork")
    with Forked(os.getpid) as forked:
        assert forked.pid == 0
        assert forked.result() == os.getpid()


def test_while_another_thread_runs_the_work_is_done_here() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        with Forked(os.getpid) as forked:
            assert forked.pid == 0
            assert forked.result() == os.getpid()
    finally:
        stop.set()
        other.join()


def test_when_no_process_can_be_forked_the_work_is_done_here(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse() -> int:
        raise BlockingIOError("Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refuse)
    with Forked(os.getpid) as forked:
        assert forked.result() == os.getpid()
    assert gc.get_freeze_count() == 0, "the objects frozen for the fork are thawed"


def test_a_caller_interrupted_while_waiting_ends_the_copy_too() -> None:
    class Interrupted(Exception):
        pass

    def interrupt(*_: object) -> None:
        raise Interrupted

    before = open_descriptors()
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        with pytest.raises(Interrupted), Forked(lambda: time.sleep(60)) as forked:
            pid = forked.pid
            signal.setitimer(signal.ITIMER_REAL, 0.2)  # lands while result() waits on the pipe
            forked.result()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not process_alive(pid)
    assert open_descriptors() == before
