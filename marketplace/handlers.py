import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import AsyncToSync, ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

# How many requests one worker process runs at once (DJANGO_THREADS_PER_WORKER); more wait their turn.
THREADS_PER_WORKER = int(os.environ.get("DJANGO_THREADS_PER_WORKER", "2"))


class SyncChainASGIHandler(ASGIHandler):
    """Django's ASGI handler, running each request's synchronous work in one of a few long-lived threads.

    Two changes, both measured with bench/bench_search_api.py:

    - The chain is built as under WSGI, from the view outwards, so the sync middleware run in the thread
      that runs the view. Django's stock handler builds it for an async view and switched between the
      event loop and a thread around the view and each view-middleware hook; every switch hands the GIL
      between threads. Middleware that only work async (ServeStatic's) stay on the event loop above the
      sync ones, as Django adapts them. Async views still work (Django's sync path runs them).
    - Django starts a new thread for every request and lets any number run at once. Threads in one process
      share one GIL, so beyond a couple they only queue for it, and a new thread also needs a new database
      connection. Here each request borrows one of ``threads`` long-lived single-thread executors for its
      whole life (all its sync code runs on that one thread, as Django requires); others wait, without a
      thread, until one is free. A request that waits on the network (a Stripe call) holds up only its
      own thread. The measurements behind this are in docs/decisions/asgi-request-handler.md. Scale out
      with more worker processes.

    Websockets do not come through here (see asgi.py).
    """

    def __init__(self, threads: int = THREADS_PER_WORKER):
        super().__init__()
        self.executors = [ThreadPoolExecutor(max_workers=1, thread_name_prefix="request") for _ in range(threads)]
        self._free: asyncio.Queue | None = None
        self._loop = None

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        chain = self._middleware_chain
        if isinstance(chain, AsyncToSync):
            # The top of the chain is async already (an async-only middleware): Django wrapped it to
            # call it from sync code; an ASGI server calls it from the event loop, so unwrap it.
            self._middleware_chain = chain.awaitable
        else:
            self._middleware_chain = sync_to_async(chain, thread_sensitive=True)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # an asyncio.Queue belongs to one event loop (tests start several)
            self._loop, self._free = loop, asyncio.Queue()
            for executor in self.executors:
                self._free.put_nowait(executor)
        free = self._free
        executor = await free.get()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            free.put_nowait(executor)
