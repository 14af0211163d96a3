"""Messaging as two people in two browser tabs, against a real ASGI server (uvicorn) so the live chat runs.

pytest-django's live server speaks WSGI only (no WebSockets), so this module starts its own uvicorn
on a temporary SQLite file, migrated and seeded by one subprocess that prints the people it made
as JSON. A seeker asks a PA for help, the PA accepts, they chat live (no reload), one blocks the
other, the other's sending is refused, a report reaches the moderation queue and a moderator's
action is recorded. Every page visited must pass axe-core and reflow; the second test does the
request, accept and send with the keyboard alone; the third sends a message without JavaScript.
"""

from __future__ import annotations

import ctypes
import faulthandler
import json
import re
import signal
import subprocess
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import DESKTOP
from tests.e2e.helpers import assert_focus_visible, check_a11y, submit_and_check, tab_to, visit_and_check
from tests.messaging import live

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 42"
# A hard bound on the whole module: a hang dumps every thread's stack and ends pytest (the server
# dies with it, see _die_with_parent). Each step below has its own, much shorter, timeout.
MODULE_DEADLINE_SECONDS = 300

# Run in a subprocess with the server's environment: migrate the file database, then make the people
# through the services (as people make them) and print what the browser needs as one JSON line.
SEED = r"""
import json, uuid
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from messaging import services
from profiles.models import User
from tests.factories import make_profile

tag = uuid.uuid4().hex[:8]

def person(name, password=None, **extra):
    # Hashing a password costs about a second here: only people who use the login page get one.
    user = User.objects.create_user(f"{name.split()[0].lower()}-{tag}@example.org", password, preferred_name=name, **extra)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user

def session_cookie(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key

out = {}
for key, seeker_name, pa_name, listing in (
    ("live", "Sara Seeker", "Sam Supporter", "Sam the PA"),
    ("keys", "Kim Keyboard", "Pat Helper", "Pat the PA"),
):
    seeker = person(seeker_name, PASSWORD)
    make_profile(seeker, role="seeker", display_name=seeker_name, listed=False)
    pa = person(pa_name, PASSWORD)
    profile = make_profile(pa, role="pa", display_name=listing)
    out[key] = {"seeker": seeker.email, "pa": pa.email, "ref": profile.ref}

nora, ned = person("Nora Plain"), person("Ned Plain")
request = services.contact_request_create(
    sender=nora, profile=make_profile(ned, role="pa", display_name="Ned the PA"), message="Hello Ned, are you free on Fridays?"
)
conversation = services.contact_request_accept(contact_request=request, actor=ned)
out["plain"] = {"cookie": session_cookie(nora), "conversation": conversation.pk}

moderator = person("Mo Moderator", is_moderator=True)
Authenticator.objects.create(user=moderator, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
out["moderator"] = {"cookie": session_cookie(moderator)}
print(json.dumps(out))
""".replace("PASSWORD", repr(PASSWORD))


def _die_with_parent() -> None:
    """Linux: the server gets SIGTERM when pytest ends, even if pytest itself is killed."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A migrated, seeded SQLite file and one uvicorn process serving it (in-memory channel layer)."""
    tmp = tmp_path_factory.mktemp("messaging-site")
    env = live.server_env(tmp / "db.sqlite3")
    seeded = subprocess.run(
        [live.PYTHON, "-c", SEED], cwd=live.ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert seeded.returncode == 0, f"seeding the server's database failed:\n{seeded.stderr[-3000:]}"
    port = live.free_port()
    log = (tmp / "uvicorn.log").open("w")
    server = subprocess.Popen(
        [
            live.PYTHON,
            "-m",
            "uvicorn",
            "marketplace.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--ws",
            "websockets-sansio",
            "--lifespan",
            "off",
        ],
        cwd=live.ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent,
    )
    faulthandler.dump_traceback_later(MODULE_DEADLINE_SECONDS, exit=True)
    try:
        live.wait_for_port(port, 45)
        yield {
            "url": f"http://127.0.0.1:{port}",
            "log": tmp / "uvicorn.log",
            **json.loads(seeded.stdout.splitlines()[-1]),
        }
    finally:
        faulthandler.cancel_dump_traceback_later()
        live.stop(server)
        log.close()


@pytest.fixture
def tab(browser, site):
    """Open a tab in its own browser context (its own cookies: one person each), closed after the test."""
    contexts = []

    def make(*, cookie: str = "", **options):
        context = browser.new_context(viewport=DESKTOP, base_url=site["url"], locale="en-GB", **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if cookie:
            context.add_cookies([{"name": "sessionid", "value": cookie, "url": site["url"]}])
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


class SocketWatch:
    """What a tab's conversation socket received, and whether the server closed it."""

    def __init__(self, page):
        self.page = page
        self.events: list[dict] = []
        self.closed = 0
        page.on("websocket", self._opened)

    def _opened(self, socket):
        socket.on("framereceived", lambda payload: self.events.append(json.loads(payload)))
        socket.on("close", lambda _socket: setattr(self, "closed", self.closed + 1))

    def count(self, kind: str) -> int:
        return sum(1 for event in self.events if event.get("type") == kind)

    def wait_until(self, condition, what: str, timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(
                    f"waited {timeout} s on {self.page.url} for {what}; socket events: {self.events[-6:]}",
                    pytrace=False,
                )
            self.page.wait_for_timeout(50)


def sign_in(page, email: str) -> None:
    visit_and_check(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit_and_check(page, lambda: page.get_by_role("button", name="Sign In").click())
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()


def mark_page(page) -> None:
    """Tag the loaded document: the tag survives only if the page is not reloaded."""
    page.evaluate("window.__notReloaded = true")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__notReloaded === true"), "the page reloaded: the message did not arrive live"


def send_live(page, body: str) -> None:
    page.get_by_label("Your message").fill(body)
    page.get_by_role("button", name="Send", exact=True).click()


def test_two_people_request_accept_chat_live_block_report_and_a_moderator_acts(tab, site):
    people = site["live"]
    seeker, pa = tab(), tab()
    sign_in(seeker, people["seeker"])
    sign_in(pa, people["pa"])

    # The seeker asks for help from the PA's listing.
    visit_and_check(seeker, f"/register/{people['ref']}/")
    submit_and_check(seeker, lambda: seeker.get_by_role("button", name="I'm interested: contact Sam the PA").click())
    seeker.get_by_label("Your message").fill("Hello Sam, I am looking for help with shopping on Tuesdays.")
    submit_and_check(seeker, lambda: seeker.get_by_role("button", name="Send request").click())
    expect(seeker.locator("main")).to_contain_text("Your request is sent to Sam the PA.")

    # The PA sees it from their messages page and accepts; the conversation starts with the request.
    pa_socket = SocketWatch(pa)
    visit_and_check(pa, "/messages/")
    submit_and_check(pa, lambda: pa.get_by_role("link", name="Contact requests (1 waiting)").click())
    expect(pa.locator("main")).to_contain_text("help with shopping on Tuesdays")
    submit_and_check(pa, lambda: pa.get_by_role("button", name="Accept and start talking").click())
    expect(pa.get_by_role("heading", level=1)).to_have_text("Conversation with Sara Seeker")
    expect(pa.locator("main")).to_contain_text("You accepted Sara Seeker's request.")

    seeker_socket = SocketWatch(seeker)
    visit_and_check(seeker, "/messages/requests/")
    submit_and_check(seeker, lambda: seeker.get_by_role("link", name="Accepted: open the conversation").click())
    expect(seeker.get_by_role("heading", level=1)).to_have_text("Conversation with Sam Supporter")
    pa_socket.wait_until(lambda: pa_socket.count("resynced"), "the PA's live connection")
    seeker_socket.wait_until(lambda: seeker_socket.count("resynced"), "the seeker's live connection")
    mark_page(seeker)
    mark_page(pa)

    # Live both ways, without reloading either page; the sender learns when it has been seen.
    send_live(seeker, "Would 10 o'clock suit you?")
    expect(pa.locator("#message-list")).to_contain_text("Would 10 o'clock suit you?")
    expect(seeker.locator("#message-list")).to_contain_text("Would 10 o'clock suit you?")
    expect(seeker.locator("#read-receipts")).to_have_text("Seen by Sam Supporter.")
    send_live(pa, "Yes, 10 o'clock on Tuesday is fine.")
    expect(seeker.locator("#message-list")).to_contain_text("Yes, 10 o'clock on Tuesday is fine.")
    expect(pa.locator("#read-receipts")).to_have_text("Seen by Sara Seeker.")
    live_reply = seeker.locator("#message-list li", has_text="Yes, 10 o'clock on Tuesday is fine.")
    expect(live_reply.get_by_role("link", name="Report this message")).to_be_visible()
    for page in (seeker, pa):
        assert_not_reloaded(page)
        expect(page.get_by_label("Your message")).to_have_value("")
    check_a11y(seeker)
    check_a11y(pa)

    # The seeker blocks the PA from their listing: the PA's socket is closed and sending is refused.
    visit_and_check(seeker, f"/register/{people['ref']}/")
    submit_and_check(seeker, lambda: seeker.get_by_role("button", name="Block Sam the PA").click())
    expect(seeker.locator("main")).to_contain_text("You have blocked Sam the PA")
    pa_socket.wait_until(lambda: pa_socket.closed, "the PA's socket to close after the block")
    pa.get_by_label("Your message").fill("Are you still there?")
    submit_and_check(pa, lambda: pa.get_by_role("button", name="Send", exact=True).click())
    expect(pa.locator("main")).to_contain_text(
        "You cannot send messages here because one of you has blocked the other."
    )
    expect(pa.locator("#message-list")).not_to_contain_text("Are you still there?")

    # The seeker reports the PA's message; the acknowledgement gives a case number.
    # Her open page marked the live reply as read, so her inbox has nothing unread.
    visit_and_check(seeker, "/messages/")
    conversation_card = seeker.locator("main li.card", has=seeker.get_by_role("link", name="Sam Supporter"))
    expect(conversation_card).to_contain_text("No unread messages")
    submit_and_check(seeker, lambda: seeker.get_by_role("link", name="Sam Supporter").click())
    reply = seeker.locator("#message-list li", has_text="Yes, 10 o'clock on Tuesday is fine.")
    submit_and_check(seeker, lambda: reply.get_by_role("link", name="Report this message").click())
    seeker.get_by_label("Harassment, threats or abuse").check()
    seeker.get_by_label("Tell us more (optional)").fill("He kept messaging after I said no.")
    submit_and_check(seeker, lambda: seeker.get_by_role("button", name="Send report").click())
    expect(seeker.get_by_role("heading", level=1)).to_have_text("Thank you for your report")
    case = re.search(r"case number (\d+)", seeker.locator("main").inner_text()).group(1)

    # A moderator (with two-step verification set up) finds the case and warns the person; the history says who.
    moderator = tab(cookie=site["moderator"]["cookie"])
    visit_and_check(moderator, "/moderation/")
    card = moderator.locator("main li.card", has=moderator.get_by_role("link", name=f"Case {case}", exact=True))
    expect(card).to_contain_text("Harassment, threats or abuse, about Sam Supporter.")
    submit_and_check(moderator, lambda: card.get_by_role("link", name=f"Case {case}").click())
    expect(moderator.locator("main")).to_contain_text("Yes, 10 o'clock on Tuesday is fine.")
    moderator.get_by_label("Warned the person").check()
    moderator.get_by_label("Note for the audit trail").fill("First warning.")
    submit_and_check(moderator, lambda: moderator.get_by_role("button", name="Record action").click())
    expect(moderator.locator("main")).to_contain_text("Done. The action is recorded in the case history.")
    history = moderator.locator("main ol")
    expect(history).to_contain_text("Case opened by the reporter")
    expect(history).to_contain_text("Warned the person by Mo Moderator. Note: First warning.")
    expect(moderator.locator("main")).to_contain_text("Action taken")


def test_request_accept_and_send_with_the_keyboard_alone(tab, site):
    people = site["keys"]
    seeker, pa = tab(), tab()
    for page, email in ((seeker, people["seeker"]), (pa, people["pa"])):
        visit_and_check(page, "/accounts/login/")
        tab_to(page, "Email")
        page.keyboard.type(email)
        tab_to(page, "Password")
        page.keyboard.type(PASSWORD)
        tab_to(page, "Sign In")
        submit_and_check(page, lambda page=page: page.keyboard.press("Enter"))

    visit_and_check(seeker, f"/register/{people['ref']}/")
    tab_to(seeker, "I'm interested: contact Pat the PA")
    submit_and_check(seeker, lambda: seeker.keyboard.press("Enter"))
    tab_to(seeker, "Your message")
    seeker.keyboard.type("Hello Pat, could you help me get to the shops on Saturdays?")
    tab_to(seeker, "Send request")
    submit_and_check(seeker, lambda: seeker.keyboard.press("Enter"))
    expect(seeker.locator("main")).to_contain_text("Your request is sent to Pat the PA.")

    pa_socket = SocketWatch(pa)
    visit_and_check(pa, "/messages/")
    tab_to(pa, "Contact requests (1 waiting)")
    submit_and_check(pa, lambda: pa.keyboard.press("Enter"))
    tab_to(pa, "Accept and start talking")
    submit_and_check(pa, lambda: pa.keyboard.press("Enter"))
    expect(pa.get_by_role("heading", level=1)).to_have_text("Conversation with Kim Keyboard")
    pa_socket.wait_until(lambda: pa_socket.count("resynced"), "the PA's live connection")

    mark_page(pa)
    tab_to(pa, "Your message")
    pa.keyboard.type("Yes, Saturdays suit me.")
    tab_to(pa, "Send")
    pa.keyboard.press("Enter")
    expect(pa.locator("#message-list")).to_contain_text("Yes, Saturdays suit me.")
    assert_not_reloaded(pa)
    # After sending, focus goes back to the (now empty) message box, ready for the next message.
    expect(pa.get_by_label("Your message")).to_be_focused()
    expect(pa.get_by_label("Your message")).to_have_value("")
    assert_focus_visible(pa)
    check_a11y(pa)


def test_without_javascript_a_message_is_a_plain_form_post(tab, site):
    cookie, conversation = site["plain"]["cookie"], site["plain"]["conversation"]
    page = tab(cookie=cookie, java_script_enabled=False)
    response = page.goto(f"/messages/{conversation}/")
    assert response.ok
    expect(page.locator("#message-list")).to_contain_text("Hello Ned, are you free on Fridays?")
    page.get_by_label("Your message").fill("I can also do Saturday mornings.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send", exact=True).click()
    assert re.search(r"/messages/\d+/#message-\d+$", page.url), page.url
    sent = page.locator("#message-list li").last
    expect(sent).to_contain_text("I can also do Saturday mornings.")
    expect(sent).to_contain_text("You, ")
    # axe-core needs JavaScript (its timers never fire in a page without it), so the same person's
    # page is checked in a second tab that has it; the server renders the same page for both.
    visit_and_check(tab(cookie=cookie), page.url)
