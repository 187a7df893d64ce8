"""A ``concurrent.futures.Future`` (a worker pool's answer) as a Twisted ``Deferred`` fired in the
reactor's thread, so that a Scrapy callback or pipeline stage can await work done off that thread.

Shared by the extraction pool (``pipelines.extract``) and the feed parsers (``spiders.feed_pool``).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import CancelledError, Future
from typing import TypeVar

from twisted.internet.defer import Deferred

_T = TypeVar("_T")


def deferred_from_future(future: Future[_T], cancelled: Callable[[], BaseException] | None = None) -> Deferred[_T]:
    """The future's result or exception, delivered in the reactor's thread (any reactor). A
    cancelled future errs with ``cancelled()`` (default: the future's own CancelledError)."""
    from twisted.internet import reactor

    deferred: Deferred[_T] = Deferred()

    def fire(done: Future[_T]) -> None:
        if done.cancelled():
            deferred.errback(cancelled() if cancelled is not None else CancelledError())
            return
        error = done.exception()
        if error is not None:
            deferred.errback(error)
        else:
            deferred.callback(done.result())

    future.add_done_callback(lambda done: reactor.callFromThread(fire, done))
    return deferred
