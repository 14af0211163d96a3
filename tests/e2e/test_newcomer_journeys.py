"""Issue 13's newcomer journeys on the stock demo register (the data `./dev start` loads with seed_demo).

Each kind of user starts at the real sign-up form, with the name they want shown, and takes their main
journey with the demo's own people: a seeker contacts a demo PA found on "Your matches"; a new
coordinator, invited by the demo coordinator, matches a waiting referral to a demo peer advisor; a new
broker is booked by the demo seeker, who records paying outside Open Circle; the demo moderator acts
on a report made by a new member. Demo accounts cannot sign in with a password (or their password is
only for the quick start), so the test signs them in with a session of its own.

Everyone who is told about something sees the count in the navigation and gets an email that says only
the fixed title and a link: never a name, a message or anything typed. Every page visited passes
axe-core (nothing serious or critical) at 1280 px and 390 px, and reflows without sideways scrolling.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.utils import timezone

from marketplace.management.commands.seed_demo import DEMO_ORGANISATION
from matching import live
from messaging.models import ContactRequest
from peer_support.models import MatchProposal, Referral
from profiles.models import Profile, User
from tests.e2e.helpers import check_a11y, check_axe, verification_code

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase 42"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
DEMO_SIZE = 1500  # big enough that the demo organisation has peer advisors near its waiting referrals
DEMO_SEED = 1  # ./dev start's seed


@pytest.fixture
def demo(transactional_db):
    """The stock demo register, as `./dev start` loads it (smaller, same seed and same code)."""
    call_command("seed_demo", profiles=DEMO_SIZE, seed=DEMO_SEED, stdout=StringIO(), stderr=StringIO())
    live.warm_up()  # kernels and index ready before the first request, as a server starts (marketplace/lifespan.py)


def _main(page) -> str:
    return page.locator("main").inner_text()


def _checked(page) -> None:
    """axe-core on this page at phone and desktop width, then the reflow checks."""
    page.set_viewport_size(PHONE)
    check_axe(page)
    page.set_viewport_size(DESKTOP)
    check_a11y(page)


def _visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url} answered {response and response.status}"
    _checked(page)


def _do(page, action) -> None:
    """A click or key press that loads a new page; the new page is checked."""
    with page.expect_navigation():
        action()
    _checked(page)


def _then(page, action, appears) -> None:
    """Do something that changes the page, in place or by loading another, and wait for what it shows."""
    action()
    appears.first.wait_for()
    page.wait_for_load_state()
    _checked(page)


def _click(page, role: str, name: str | re.Pattern, within=None) -> None:
    """Click the link or button (role "control": whichever of the two it is) that has this name."""
    scope = within if within is not None else page
    exact = isinstance(name, str)
    if role == "control":
        link, button = (
            scope.get_by_role("link", name=name, exact=exact),
            scope.get_by_role("button", name=name, exact=exact),
        )
        # The first: a page may offer the same action twice (at the top, and again beside the details).
        target = link.or_(button).first
    else:
        target = scope.get_by_role(role, name=name, exact=exact)
    _do(page, lambda: target.click())


def _sign_up(page, mailoutbox, name: str) -> str:
    """Join through the real form, with the name to show, and confirm the emailed code. Returns the email."""
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:8]}@example.org"
    _visit(page, "/")
    _click(page, "link", "Join")
    page.get_by_label("Your name, as others will see it").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label(re.compile(r"Password \(again\)")).fill(PASSWORD)
    _click(page, "button", re.compile("Sign up", re.I))
    page.get_by_label(re.compile("^Code")).fill(verification_code(mailoutbox, email))
    _click(page, "button", "Confirm")
    assert f"Welcome to Open Circle, {name}." in _main(page)
    return email


def _start_profile(page, role_label: str, display_name: str, postcode: str) -> None:
    """The onboarding page the new account lands on: the role, the listing's name and the postcode."""
    assert page.url.endswith("/onboarding/"), page.url
    page.get_by_label(role_label).check()
    page.get_by_label("The name others will see").fill(display_name)
    page.get_by_label("Postcode").fill(postcode)
    _click(page, "button", "Continue")
    assert "Your profile is started." in _main(page)


def _badge(page, count: int):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=f"Notifications, {count} unread")


def _open_notification(page, count: int, title: str) -> None:
    """From any page: the navigation says how many are unread; the notification leads to the thing."""
    _visit(page, "/me/")
    assert _badge(page, count).is_visible(), page.get_by_role("navigation", name="Main").inner_text()
    _do(page, lambda: _badge(page, count).click())
    _click(page, "link", title)


def _email(mailoutbox, address: str, title: str, *private: str):
    """The one email about `title` sent to `address`; it carries none of the private words."""
    sent = [m for m in mailoutbox if address in m.to and m.subject == title]
    assert len(sent) == 1, [(m.to, m.subject) for m in mailoutbox]
    text = sent[0].subject + "\n" + sent[0].body
    for words in private:
        assert words not in text, f"the email to {address} gives away {words!r}:\n{text}"
    assert "/notifications/settings/" in sent[0].body  # how to switch these emails off
    return sent[0]


def _as(signed_in_page, user: User):
    """A demo account has no password a test should use: sign it in with a session of the test's own."""
    return signed_in_page(user)


# 1. A seeker ------------------------------------------------------------------------------------

SEEKER_MESSAGE = "Hello, I am looking for help with shopping on Monday mornings near home."


def test_a_new_seeker_contacts_a_demo_pa_found_in_their_matches(demo, page, signed_in_page, mailoutbox):
    seeker_email = _sign_up(page, mailoutbox, "Rosa Martin")
    _start_profile(page, "Find support for me or someone I care for", "Rosa M.", "BB1 1AA")

    _visit(page, "/matches/")
    interested = re.compile("^I'm interested: contact ")
    contactable = page.get_by_role("link", name=interested).or_(page.get_by_role("button", name=interested))
    first = page.locator("article.match-card").filter(has=contactable).first  # the best match who can be contacted
    control = first.get_by_role("link", name=interested).or_(first.get_by_role("button", name=interested)).first
    pa_name = interested.sub("", control.get_attribute("aria-label") or control.inner_text()).strip()
    # The contact form opens in place on the card (htmx), or on its own page without JavaScript.
    _then(page, control.click, page.get_by_label("Your message"))
    page.get_by_label("Your message").fill(SEEKER_MESSAGE)
    _then(
        page,
        page.get_by_role("button", name="Send request").click,
        page.get_by_text(f"Your request is sent to {pa_name}"),
    )

    demo_pa = ContactRequest.objects.get(sender__email=seeker_email).recipient
    assert demo_pa.email.endswith("@demo.opencircle.test") and not demo_pa.has_usable_password()
    _email(mailoutbox, demo_pa.email, "You have a new contact request", SEEKER_MESSAGE, "Rosa")

    pa_page = _as(signed_in_page, demo_pa)
    _open_notification(pa_page, 1, "You have a new contact request")
    request_card = pa_page.get_by_role("listitem").filter(has_text=SEEKER_MESSAGE)
    assert "From Rosa Martin" in request_card.inner_text()  # the name they chose, not "Member N"
    _click(pa_page, "button", "Accept and start talking", within=request_card)

    _open_notification(page, 1, "Your contact request was accepted")
    assert pa_name in _main(page)
    _email(mailoutbox, seeker_email, "Your contact request was accepted", SEEKER_MESSAGE, pa_name)


# 2. A coordinator -------------------------------------------------------------------------------


def _totp_code(secret: str) -> str:
    """What the person's authenticator app shows now for this secret."""
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def _with_second_factor(user: User) -> User:
    """A demo login that has set up its authenticator app already (its first sign-in asks for it)."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def test_a_new_coordinator_invited_by_the_demo_coordinator_matches_a_referral_to_a_demo_peer_advisor(
    demo, page, signed_in_page, mailoutbox
):
    email = _sign_up(page, mailoutbox, "Nadia Hussain")

    # The demo coordinator invites the newcomer from the organisation's own page.
    demo_coordinator = _with_second_factor(User.objects.get(email="coordinator@demo.opencircle.test"))
    inviter = _as(signed_in_page, demo_coordinator)
    _visit(inviter, "/organisations/")
    _click(inviter, "link", DEMO_ORGANISATION)
    inviter.get_by_label("Their email address").fill(email)
    inviter.get_by_label("Coordinator").check()
    _click(inviter, "button", "Send the invitation")
    assert "The invitation is sent." in _main(inviter)
    invitation = next(m for m in mailoutbox if email in m.to and m.subject == f"Invitation from {DEMO_ORGANISATION}")
    assert "/organisations/" in invitation.body

    # The newcomer accepts; a coordinator sees other people's referrals, so the site asks for a second factor.
    _visit(page, "/organisations/")
    _click(page, "button", f"Accept the invitation from {DEMO_ORGANISATION}")
    if "/accounts/reauthenticate/" in page.url:  # setting up a second factor asks for the password again
        page.get_by_label("Password").fill(PASSWORD)
        _click(page, "button", "Confirm")
    assert "/2fa/totp/activate/" in page.url, page.url
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(_totp_code(secret))
    _click(page, "button", "Activate")

    _visit(page, "/coordinator/")
    referral = Referral.objects.filter(organisation__name=DEMO_ORGANISATION, status=Referral.Status.WAITING).earliest(
        "pk"
    )  # one of the demo's two people waiting for a peer advisor
    _click(page, "link", f"{referral.seeker_profile.display_name} ({referral.seeker_profile.outcode})")
    suggestion = page.locator("main li").filter(has=page.get_by_role("button", name=re.compile("^Propose "))).first
    peer_name = suggestion.get_by_role("heading").first.inner_text().strip()
    _click(page, "button", f"Propose {peer_name}", within=suggestion)
    assert f"{peer_name} is proposed" in _main(page)

    proposal = MatchProposal.objects.select_related("supporter_profile__user").get(referral=referral)
    peer = proposal.supporter_profile.user
    assert peer.email.endswith("@demo.opencircle.test") and proposal.supporter_profile.display_name == peer_name
    title = "A peer support match has been suggested for you"
    _email(mailoutbox, peer.email, title, referral.seeker_profile.display_name, referral.what_would_help)

    peer_page = _as(signed_in_page, peer)
    _open_notification(peer_page, 1, title)
    assert peer_page.get_by_role("heading", level=1).inner_text() == "Your proposed peer match"
    _click(peer_page, "button", "Yes, introduce us")


# 3. A broker ------------------------------------------------------------------------------------

BROKER_CONTACT = "Hello, I would like help to write my support plan, please."
BOOKING_NOTE = "Please ring the bell twice; I take a while to reach the door."


@pytest.fixture
def no_stripe_keys(settings):
    # Card payments are not set up (./dev start has no keys); the live server thread reads these settings too.
    settings.STRIPE_SECRET_KEY = settings.STRIPE_PUBLISHABLE_KEY = settings.STRIPE_WEBHOOK_SECRET = ""
    settings.PLATFORM_FEE_PERCENT = "0"


def test_a_new_broker_lists_an_hourly_service_and_is_booked_by_the_demo_seeker_who_pays_outside(
    demo, no_stripe_keys, page, signed_in_page, mailoutbox
):
    broker_email = _sign_up(page, mailoutbox, "Omar Farouk")
    _start_profile(page, "Offer my services as an independent support broker", "Omar F.", "BB1 1AA")
    _click(page, "button", "List on the register")
    assert "Your profile is listed on the register" in _main(page)
    _visit(page, "/me/offers/")
    page.get_by_label("Hourly rate (£)").fill("25")
    _click(page, "button", "Save hourly rate")
    assert "Your offers are saved." in _main(page)
    listing = Profile.objects.get(user__email=broker_email, role="broker")

    # The demo seeker finds the new listing and asks to be in contact.
    demo_seeker = User.objects.get(email="seeker@demo.opencircle.test")
    seeker = _as(signed_in_page, demo_seeker)
    _visit(seeker, listing.get_absolute_url())
    _click(seeker, "control", "I'm interested: contact Omar F.")
    seeker.get_by_label("Your message").fill(BROKER_CONTACT)
    _click(seeker, "button", "Send request")
    _email(mailoutbox, broker_email, "You have a new contact request", BROKER_CONTACT, "Demo Seeker")

    _open_notification(page, 1, "You have a new contact request")
    request_card = page.get_by_role("listitem").filter(has_text=BROKER_CONTACT)
    assert "From Demo Seeker" in request_card.inner_text()
    _click(page, "button", "Accept and start talking", within=request_card)

    _open_notification(seeker, 1, "Your contact request was accepted")
    _email(mailoutbox, demo_seeker.email, "Your contact request was accepted", "Omar")

    # Booked: two hours in three days' time.
    day = timezone.localdate() + timedelta(days=3)
    _visit(seeker, listing.get_absolute_url())
    _click(seeker, "control", "Book Omar F.")
    seeker.get_by_label("Hours at an hourly rate").check()
    seeker.get_by_label(re.compile(r"^Hours \(optional\)")).fill("2")
    seeker.get_by_label("First day").fill(day.isoformat())
    seeker.get_by_label("Start time").fill("10:00")
    seeker.get_by_label(re.compile("^Anything the supporter should know")).fill(BOOKING_NOTE)
    _click(seeker, "button", "Send booking request")
    assert "2 hours at £25.00 an hour" in _main(seeker) and "£50.00" in _main(seeker)
    booking_url = seeker.url
    _email(mailoutbox, broker_email, "You have a new booking request", BOOKING_NOTE, "Demo Seeker", "£50")

    _open_notification(page, 1, "You have a new booking request")
    assert page.url == booking_url
    _click(page, "button", "Accept booking")
    assert "You accepted the booking." in _main(page)

    # Paid from the council-managed account, outside Open Circle.
    _visit(seeker, booking_url)
    assert "Amount due: £50.00" in _main(seeker)
    _click(seeker, "link", "Record a payment made another way")
    seeker.get_by_label("Who paid").fill("My council-managed account")
    seeker.get_by_label("Council-managed account").check()
    _click(seeker, "button", "Record payment")
    receipt = _main(seeker)
    assert seeker.get_by_role("heading", level=1).inner_text().startswith("Receipt OC-")
    assert "Paid outside Open Circle (Council-managed account)" in receipt and "£50.00" in receipt
    assert "Omar F." in receipt


# 4. A moderator ---------------------------------------------------------------------------------

REPORT_DETAILS = "They asked me for my bank card number before we had even met."
MODERATOR_NOTE = "Spoke to them; warned about asking for card details."


def test_the_demo_moderator_acts_on_a_report_from_a_new_member_who_is_told_the_outcome(
    demo, page, signed_in_page, mailoutbox
):
    reporter_email = _sign_up(page, mailoutbox, "Grace Okafor")
    reported = (
        Profile.objects.listed()
        .filter(role="pa", user__email__endswith="@demo.opencircle.test", user__password__startswith="!")
        .select_related("user")
        .earliest("pk")
    )  # a demo PA whose account cannot sign in
    _visit(page, reported.get_absolute_url())
    _click(page, "link", f"Report {reported.display_name} to our safety team")
    page.get_by_label("Asking for money or financial details").check()
    page.get_by_label("Tell us more (optional)").fill(REPORT_DETAILS)
    _click(page, "button", "Send report")
    assert "Our safety team will look at it." in _main(page)

    # The demo moderator (with the second factor every moderator sets up) goes from the navigation to the one queue.
    moderator = _as(signed_in_page, _with_second_factor(User.objects.get(email="moderator@demo.opencircle.test")))
    _visit(moderator, "/me/")
    nav = moderator.get_by_role("navigation", name="Main")
    nav.locator("summary", has_text="More").click()  # the "More" menu
    _click(moderator, "link", "All moderation cases", within=nav)
    _click(moderator, "link", re.compile(r"^Message report: Case \d+$"))
    case = _main(moderator)
    assert "Grace Okafor" in case and reported.display_name in case and REPORT_DETAILS in case
    moderator.get_by_label("Warned the person").check()
    moderator.get_by_label("Note for the audit trail").fill(MODERATOR_NOTE)
    _click(moderator, "button", "Record action")
    assert "Warned the person by Demo Moderator" in _main(moderator)

    title = "A moderator has looked at your report"
    _email(mailoutbox, reporter_email, title, REPORT_DETAILS, MODERATOR_NOTE, reported.display_name)
    _open_notification(page, 1, title)
    outcome = _main(page)
    assert "A moderator has looked at your report" in outcome and "took action" in outcome
    assert "will look at it" not in outcome and MODERATOR_NOTE not in outcome
