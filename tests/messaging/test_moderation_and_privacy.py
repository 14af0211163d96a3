import pytest
from django.core import mail
from django.urls import reverse

from messaging import services
from messaging.models import Message, ModerationAction, Report
from profiles.privacy import user_delete, user_export_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def rude_message(conversation, supporter):
    return services.message_send(conversation=conversation, sender=supporter, body="Pay me upfront or else.")


def test_reporting_a_message_opens_a_case_and_thanks_the_reporter(client, seeker, rude_message):
    client.force_login(seeker)
    url = reverse("messaging:report-message", args=[rude_message.pk])
    response = client.post(url, {"reason": "money", "details": "Asked for money."}, follow=True)
    report = Report.objects.get()
    assert "Thank you for your report" in response.content.decode()
    assert report.severity == Report.Severity.MEDIUM and report.status == Report.Status.OPEN
    assert report.message_snapshot == "Pay me upfront or else."
    assert report.actions.get().action == ModerationAction.Action.OPENED


def test_the_reported_person_never_sees_the_case(client, seeker, supporter, rude_message):
    report = services.report_create(reporter=seeker, reason="harassment", message=rude_message)
    client.force_login(supporter)
    assert client.get(reverse("messaging:report-thanks", args=[report.pk])).status_code == 404
    assert client.get(reverse("messaging:moderation-case", args=[report.pk])).status_code == 404
    assert client.get(reverse("messaging:moderation-queue")).status_code == 404
    assert "Case" not in client.get(reverse("messaging:inbox")).content.decode()


def test_a_stranger_cannot_report_a_message_they_cannot_see(client, stranger, rude_message):
    client.force_login(stranger)
    assert (
        client.post(reverse("messaging:report-message", args=[rude_message.pk]), {"reason": "spam"}).status_code == 404
    )
    assert not Report.objects.exists()


def test_a_person_can_be_reported_from_their_profile(client, seeker, supporter, listing):
    client.force_login(seeker)
    client.post(reverse("messaging:report-person", args=[listing.ref]), {"reason": "scam"})
    assert Report.objects.get().reported_user == supporter


def test_a_moderator_removes_the_message_and_suspends_and_both_are_recorded(
    client, moderator, seeker, supporter, rude_message
):
    report = services.report_create(reporter=seeker, reason="money", message=rude_message)
    client.force_login(moderator)
    assert f"Case {report.pk}" in client.get(reverse("messaging:moderation-queue")).content.decode()
    case_url = reverse("messaging:moderation-case", args=[report.pk])
    client.post(case_url, {"action": "remove_message", "note": "Asked for money."})
    client.post(case_url, {"action": "suspend", "note": "Second time."})
    rude_message.refresh_from_db()
    supporter.refresh_from_db()
    assert rude_message.is_removed and not supporter.is_active
    actions = list(report.actions.values_list("action", "actor_id"))
    assert actions == [("opened", seeker.pk), ("remove_message", moderator.pk), ("suspend", moderator.pk)]
    page = client.get(case_url).content.decode()
    assert "Removed the message by Mo Moderator" in page and "Suspended the account by Mo Moderator" in page
    client.force_login(seeker)
    assert (
        "This message was removed by a moderator."
        in client.get(rude_message.conversation.get_absolute_url()).content.decode()
    )


def test_a_warning_emails_the_person_without_saying_who_reported_them(
    moderator, seeker, supporter, rude_message, django_capture_on_commit_callbacks
):
    report = services.report_create(reporter=seeker, reason="harassment", message=rude_message)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_act(report=report, moderator=moderator, action="warn", note="First warning.")
    assert mail.outbox[-1].to == [supporter.email]
    assert "Sara" not in mail.outbox[-1].body and "First warning" not in mail.outbox[-1].body


def test_only_moderators_can_act_on_cases(seeker, stranger, rude_message):
    from django.core.exceptions import PermissionDenied

    report = services.report_create(reporter=seeker, reason="spam", message=rude_message)
    with pytest.raises(PermissionDenied):
        services.report_act(report=report, moderator=stranger, action="close")


def test_download_my_data_includes_messages_requests_and_reports(seeker, supporter, rude_message):
    services.report_create(reporter=seeker, reason="money", message=rude_message)
    data = user_export_data(seeker)["messaging"]
    assert data["contact_requests_sent"][0]["message"] == "Hello, I need help on Tuesdays."
    assert data["reports_made"][0]["reason"] == "money"
    assert user_export_data(supporter)["messaging"]["messages_sent"][0]["body"] == "Pay me upfront or else."


def test_deleting_an_account_removes_their_one_to_one_messages_but_keeps_the_case(seeker, supporter, rude_message):
    report = services.report_create(reporter=seeker, reason="money", message=rude_message)
    user_delete(user=supporter, actor=supporter)
    assert not Message.objects.filter(body="Pay me upfront or else.").exists()
    report.refresh_from_db()
    assert report.reported_user is None and report.message_snapshot == "Pay me upfront or else."
