from decimal import Decimal

import pytest
from django.utils import timezone

from payments import services
from payments.models import Booking, Budget, Payment
from profiles import privacy

pytestmark = pytest.mark.django_db


def test_download_my_data_includes_bookings_payments_and_budget(seeker, accepted_booking):
    services.payment_record_outside(
        booking=accepted_booking, actor=seeker, paid_by="Me", paid_how="other", paid_on=timezone.localdate()
    )
    services.budget_set(
        seeker=seeker, actor=seeker, amount=Decimal("400"), period="monthly", starts_on=timezone.localdate()
    )
    data = privacy.user_export_data(seeker)["payments"]
    assert data["bookings"][0]["total"] == "£45.00"
    assert data["bookings"][0]["payment"]["amount"] == "£45.00"
    assert data["budget"]["amount"] == "£400.00"


def test_deleting_an_account_removes_the_budget_but_keeps_payments_anonymised(seeker, accepted_booking):
    payment = services.payment_record_outside(
        booking=accepted_booking, actor=seeker, paid_by="Jane Smith", paid_how="other", paid_on=timezone.localdate()
    )
    services.budget_set(
        seeker=seeker, actor=seeker, amount=Decimal("400"), period="monthly", starts_on=timezone.localdate()
    )
    privacy.user_delete(user=seeker, actor=seeker)
    assert not Budget.objects.exists()
    payment.refresh_from_db()
    booking = Booking.objects.get(pk=accepted_booking.pk)
    assert booking.seeker is None and payment.paid_by == "Former member" and payment.amount_pence == 4500
    assert Payment.objects.count() == 1
