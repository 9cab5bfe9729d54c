"""Work done in a forked copy of the process: what a build's validation runs in."""

from __future__ import annotations

import os
import threading
import time

import pytest

from spasmkg.system import Forked, process_alive


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


def test_a_caller_that_fails_first_ends_the_copy() -> None:
    with (
        pytest.raises(RuntimeError, match="writer failed"),
        Forked(lambda: time.sleep(60)) as forked,
    ):
        pid = forked.pid
        assert process_alive(pid)
        raise RuntimeError("writer failed")
    assert not process_alive(pid), "the copy was killed and reaped, not left running"


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
