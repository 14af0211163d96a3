from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
    """Django's ASGI handler, running the whole middleware chain and the view in one worker thread.

    Every view and most middleware here are synchronous. Django's stock handler builds an async chain, so
    it hops between the event loop and a thread around each sync middleware, each view-middleware hook
    and the view: six thread switches for a search request where one will do. Async views still work:
    Django's sync path runs them with async_to_sync. Websockets do not come through here (see asgi.py).
    """

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)
        self._middleware_chain = self.adapt_method_mode(True, self._middleware_chain, False)
