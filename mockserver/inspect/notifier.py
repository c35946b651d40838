"""Change notices for the inspector's live stream (``GET /__mock__/inspect/events``).

Nothing is done for a change nobody listens to: the store hands a sandbox the notifier's
:meth:`Notifier.publish` only while someone is subscribed (``Sandbox.listener``), and the
middleware asks :attr:`Notifier.listening` before it builds a request's notice. A subscriber
gets a bounded queue: a reader that falls behind loses the oldest notices, and a publisher
never waits for anyone (an API request is never slowed by a page following it).

Notices are published from whatever thread changes a sandbox (the server's event loop, or the
fixture's in-process clients on theirs); each subscription is woken on its own loop.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any

from .naming import SandboxNames

#: notices a subscriber may hold unread before the oldest are dropped
QUEUE_SIZE = 1024

Notice = dict[str, Any]


class Subscription:
    """One reader of the stream: the notices of one sandbox (``key``), or of all (``None``)."""

    def __init__(self, key: str | None, loop: asyncio.AbstractEventLoop) -> None:
        self.key = key
        self._loop = loop
        self._queue: deque[Notice] = deque(maxlen=QUEUE_SIZE)
        self._wake = asyncio.Event()
        self.closed = False
        #: notices lost because the reader was behind
        self.dropped = 0

    def put(self, notice: Notice) -> None:
        if len(self._queue) == QUEUE_SIZE:
            self.dropped += 1
        self._queue.append(notice)
        self._signal()

    def close(self) -> None:
        self.closed = True
        self._signal()

    def _signal(self) -> None:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._wake.set()
        else:
            # another thread (or loop): wake the reader on its own loop; a loop that has
            # closed has no reader left to wake
            with contextlib.suppress(RuntimeError):
                self._loop.call_soon_threadsafe(self._wake.set)

    async def next(self, timeout: float | None = None) -> list[Notice] | None:
        """The notices waiting (at least one), ``[]`` after ``timeout`` seconds without any,
        or None once the subscription is closed."""
        while True:
            if self._queue:
                notices = []
                while self._queue:  # popleft is atomic: a publisher may append meanwhile
                    notices.append(self._queue.popleft())
                return notices
            if self.closed:
                return None
            self._wake.clear()
            if self._queue or self.closed:
                continue
            try:
                await asyncio.wait_for(self._wake.wait(), timeout)
            except asyncio.TimeoutError:
                return []


class Notifier:
    """The subscriptions of one app, and the one way a change reaches them."""

    def __init__(self, names: SandboxNames) -> None:
        self.names = names
        self._subscriptions: list[Subscription] = []
        self._closed = False

    @property
    def listening(self) -> bool:
        """Whether anyone is subscribed (without anyone, no notice is even built)."""
        return bool(self._subscriptions)

    def subscribe(self, key: str | None) -> Subscription:
        """A new subscription on the running loop; ``key`` None: every sandbox (the operator).
        After :meth:`close` (the server is stopping) it is closed at once."""
        subscription = Subscription(key, asyncio.get_running_loop())
        if self._closed:
            subscription.close()
        else:
            self._subscriptions = [*self._subscriptions, subscription]
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        self._subscriptions = [s for s in self._subscriptions if s is not subscription]

    def publish(self, key: str | None, notice: Notice) -> None:
        """Hand ``notice`` about sandbox ``key`` (None: a request no sandbox took) to every
        subscriber who may see it, named by its handle."""
        subscriptions = self._subscriptions  # replaced, never changed: safe to walk
        if not subscriptions:
            return
        sandbox = None if key is None else self.names.of(key)
        shown = {"sandbox": sandbox, **notice}
        for subscription in subscriptions:
            if subscription.key is None or subscription.key == key:
                subscription.put(shown)

    def open(self) -> None:
        """Take subscribers again (a server starts on the app)."""
        self._closed = False

    def close(self) -> None:
        """End every stream (the server is stopping) and take no new subscriber until
        :meth:`open`."""
        self._closed = True
        subscriptions, self._subscriptions = self._subscriptions, []
        for subscription in subscriptions:
            subscription.close()
