"""A browser tab reused for page after page of the browser pass (visits.py), as if each page had a fresh one.

A new browser context per page cost Chromium about a CPU-second to start; reusing one needs the cache, the storage
and the event listeners reset between pages, which `Tab.go` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from browsing import LOCAL_HOSTS
from narrow import CLS_OBSERVER_JS

WIDE = {"width": 1280, "height": 800}


@dataclass
class Tab:
    """A browser context and its page, reused for page after page, with what a fresh tab would give each visit.

    The HTTP cache is off, so every visit loads (and weighs) the whole page; local storage is emptied, so every
    page opens in the light palette; the listeners report to the visit under way.
    """

    context: object
    page: object
    cdp: object
    visit: object = None  # the visits.Visit its listeners report to

    @classmethod
    async def open(cls, browser, base_url: str, viewport: dict) -> Tab:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        # The phone tab is a phone: touch, and overlay scrollbars that take no width (a desktop scrollbar would take
        # 15 px from the column wherever the theme reserves its gutter, as Zensical's `scrollbar-gutter: stable`).
        phone = {} if viewport == WIDE else {"is_mobile": True, "has_touch": True}
        context = await browser.new_context(viewport=viewport, color_scheme="light", **phone)
        if viewport == WIDE:
            await context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        else:
            await context.add_init_script(CLS_OBSERVER_JS)
            # The phone visit never searches: an empty search worker spares Chromium building the search index
            # on every page (about 0.2 CPU-s each). The wide visit keeps it, so the page weight counts the index.
            await context.route("**/assets/javascripts/workers/search.*.js", _empty_script)
        page = await context.new_page()
        tab = cls(context, page, await context.new_cdp_session(page))
        await tab.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        _record(tab)
        return tab

    async def go(self, v):
        """Empty the last page's storage and the HTTP cache, then point the listeners at `v`; the caller navigates."""
        if self.page.url.startswith("http"):
            await self.page.evaluate("localStorage.clear(); sessionStorage.clear()")
        await self.cdp.send("Network.clearBrowserCache")  # the favicon skips the disabled cache, not this
        self.visit = v
        return self.page


async def _empty_script(route) -> None:
    await route.fulfill(body="", content_type="text/javascript")


def _record(tab: Tab) -> None:
    """Note every request (and those leaving localhost), failed responses, console errors and exceptions."""

    def on_request(request):
        tab.visit.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.hostname not in LOCAL_HOSTS:
            tab.visit.foreign.append(request.url)

    def on_response(response):
        if response.status >= 400:
            tab.visit.failed.append(f"{response.url} (HTTP {response.status})")

    def on_console(message):
        if message.type == "error":
            tab.visit.errors.append(f"console: {message.text}")

    tab.page.on("request", on_request)
    tab.page.on("requestfailed", lambda r: tab.visit.failed.append(f"{r.url} ({r.failure})"))
    tab.page.on("response", on_response)
    tab.page.on("console", on_console)
    tab.page.on("pageerror", lambda e: tab.visit.errors.append(f"exception: {e}"))
