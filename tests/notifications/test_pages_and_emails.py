"""The notifications page, the badge, per-kind email choices, and what an email may say."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from messaging import services as messaging
from notifications.models import Kind, Notification
from notifications.services import notification_send
from tests.factories import make_profile

pytestmark = pytest.mark.django_db


def send(run_on_commit, user, kind=Kind.CONTACT_REQUEST, link="/messages/requests/"):
    with run_on_commit():
        notification_send(recipient=user, kind=kind, link=link)
    return Notification.objects.latest("id")


def test_the_navigation_says_how_many_are_unread_in_words(client, run_on_commit, seeker):
    client.force_login(seeker)
    assert 'aria-label="Notifications, ' not in client.get(reverse("profiles:dashboard")).content.decode()
    for _ in range(3):
        send(run_on_commit, seeker)
    page = client.get(reverse("profiles:dashboard")).content.decode()
    assert (
        'aria-label="Notifications, 3 unread">Notifications <span class="count-badge" aria-hidden="true">3</span>'
        in page
    )


def test_the_page_lists_them_under_headings_and_marks_one_or_all_read(client, run_on_commit, seeker):
    first = send(run_on_commit, seeker)
    send(run_on_commit, seeker, kind=Kind.BOOKING_REQUEST, link="/bookings/")
    client.force_login(seeker)
    page = client.get(reverse("notifications:list")).content.decode()
    assert '<h2 id="unread-heading">Unread (2)</h2>' in page
    assert "You have a new contact request" in page and "You have a new booking request" in page
    assert '<button type="submit" class="button secondary">Mark all as read</button>' in page
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_read and Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post(reverse("notifications:read-all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "Nothing unread" in client.get(reverse("notifications:list")).content.decode()


def test_opening_one_goes_to_the_thing_and_marks_it_read(client, run_on_commit, seeker):
    notification = send(run_on_commit, seeker)
    client.force_login(seeker)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/messages/requests/"
    notification.refresh_from_db()
    assert notification.is_read


def test_someone_elses_notification_is_not_found(client, run_on_commit, seeker, bystander):
    notification = send(run_on_commit, seeker)
    client.force_login(bystander)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_every_kind_is_emailed_by_default_through_the_task_queue(run_on_commit, seeker):
    send(run_on_commit, seeker)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [seeker.email]
    assert mail.outbox[0].subject == "You have a new contact request"
    assert "/messages/requests/" in mail.outbox[0].body and "/notifications/settings/" in mail.outbox[0].body


def test_switching_a_kind_off_stops_its_email_but_not_the_notification(client, run_on_commit, seeker):
    client.force_login(seeker)
    form = client.get(reverse("notifications:settings")).content.decode()
    boxes = re.findall(r'<input type="checkbox"[^>]*>', form)
    assert len(boxes) == len(Kind.values) and all(" checked" in box for box in boxes)  # every kind on by default
    kinds_on = [kind for kind in Kind.values if kind != Kind.CONTACT_REQUEST]
    assert client.post(reverse("notifications:settings"), {"kinds": kinds_on}).status_code == 302
    send(run_on_commit, seeker)
    assert Notification.objects.filter(recipient=seeker, kind=Kind.CONTACT_REQUEST).count() == 1
    assert mail.outbox == []
    send(run_on_commit, seeker, kind=Kind.BOOKING_REQUEST, link="/bookings/")  # other kinds still come
    assert [m.subject for m in mail.outbox] == ["You have a new booking request"]


def test_an_unknown_kind_in_the_form_is_a_form_error_not_a_crash(client, seeker):
    client.force_login(seeker)
    response = client.post(reverse("notifications:settings"), {"kinds": ["not_a_kind"]})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()


def test_a_canary_in_a_contact_request_never_reaches_a_notification_or_its_email(run_on_commit, seeker, supporter):
    canary = "CANARY-epilepsy-5521"
    listing = make_profile(supporter, role="pa", display_name=f"Sam {canary[:6]}")
    with run_on_commit():
        messaging.contact_request_create(sender=seeker, profile=listing, message=f"I have {canary}, can you help?")
    notification = Notification.objects.get(recipient=supporter)
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    text = (
        notification.title
        + notification.link
        + email.subject
        + email.body
        + "".join(str(a) for a in email.alternatives)
    )
    for private in (canary, "epilepsy", "Sara", "Seeker", "Sam", seeker.email):
        assert private not in text


def test_a_link_off_this_site_is_refused():
    with pytest.raises(ValueError):
        notification_send(recipient=1, kind=Kind.CONTACT_REQUEST, link="https://evil.example/")
    with pytest.raises(ValueError):
        notification_send(recipient=1, kind=Kind.CONTACT_REQUEST, link="//evil.example/")


def test_download_my_data_includes_notifications_and_email_choices(client, run_on_commit, seeker):
    import json

    send(run_on_commit, seeker)
    client.force_login(seeker)
    client.post(reverse("notifications:settings"), {"kinds": [Kind.BOOKING_REQUEST]})
    data = json.loads(client.get(reverse("profiles:data-download")).content)
    assert data["notifications"]["notifications"][0]["title"] == "You have a new contact request"
    assert Kind.CONTACT_REQUEST in data["notifications"]["emails_switched_off"]
