"""/api/v1/bookings/: thin views over the same services and selectors as the pages."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import ViewSet

from marketplace.validators import validate_sensible_date
from profiles import selectors as profile_selectors
from profiles.models import User

from . import selectors, services, stripe_client
from .forms import MONEY
from .models import Booking, Package, Payment


class PaymentSerializer(serializers.Serializer):
    receipt_number = serializers.CharField()
    method = serializers.CharField()
    status = serializers.CharField()
    amount_pence = serializers.IntegerField()
    fee_pence = serializers.IntegerField()
    refunded_pence = serializers.IntegerField()
    paid_on = serializers.DateField(allow_null=True, validators=[validate_sensible_date])
    checkout_url = serializers.CharField()


class BookingSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    kind = serializers.CharField()
    supporter_name = serializers.CharField()
    supporter_ref = serializers.CharField(source="supporter_profile.ref", default=None)
    package_name = serializers.CharField()
    start_date = serializers.DateField(validators=[validate_sensible_date])
    start_time = serializers.TimeField()
    end_date = serializers.DateField(validators=[validate_sensible_date])
    hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    rate_pence = serializers.IntegerField(allow_null=True)
    total_pence = serializers.IntegerField(
        help_text="The agreed total when booked (hours booked x rate, or the package price)."
    )
    hours_approved = serializers.DecimalField(
        source="money.hours_approved", max_digits=6, decimal_places=2, allow_null=True, read_only=True
    )
    amount_due_pence = serializers.IntegerField(
        source="money.due_pence",
        read_only=True,
        help_text="What the booking costs: approved hours x rate once approved (rounded once, nearest penny, halves up).",
    )
    fee_pence = serializers.IntegerField(source="money.fee_pence", read_only=True)
    cancellation_terms = serializers.CharField()
    worked_hours = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    timesheet_note = serializers.CharField()
    query_note = serializers.CharField()
    payment = serializers.SerializerMethodField()

    def get_payment(self, booking) -> dict | None:
        payment = Payment.objects.filter(booking=booking).first()
        return PaymentSerializer(payment).data if payment else None


class BookingCreateSerializer(serializers.Serializer):
    supporter_ref = serializers.CharField()
    seeker_id = serializers.IntegerField(required=False, help_text="Only when booking for someone you act for.")
    kind = serializers.ChoiceField(choices=Booking.Kind.choices, default=Booking.Kind.HOURS)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    package_id = serializers.IntegerField(required=False)
    start_date = serializers.DateField(validators=[validate_sensible_date])
    start_time = serializers.TimeField()
    end_date = serializers.DateField(required=False, validators=[validate_sensible_date])
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class TimesheetSerializer(serializers.Serializer):
    worked_hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class QuerySerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500)


class PaidOutsideSerializer(serializers.Serializer):
    paid_by = serializers.CharField(max_length=120)
    paid_how = serializers.ChoiceField(choices=Payment.PaidHow.choices)
    paid_on = serializers.DateField(validators=[validate_sensible_date])
    amount = serializers.DecimalField(required=False, **MONEY)


class PaySerializer(serializers.Serializer):
    success_url = serializers.URLField()
    cancel_url = serializers.URLField()


class BookingViewSet(ViewSet):
    """Bookings you made, received, or manage for someone (others answer 404)."""

    lookup_value_converter = "id"  # bounded integer (marketplace/converters.py)

    def _respond(self, booking, code=status.HTTP_200_OK):
        booking.refresh_from_db()
        return Response(BookingSerializer(booking).data, status=code)

    def _valid(self, serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(responses=BookingSerializer(many=True))
    def list(self, request):
        return Response(BookingSerializer(selectors.bookings_visible_to(request.user), many=True).data)

    @extend_schema(responses=BookingSerializer)
    def retrieve(self, request, pk=None):
        return Response(BookingSerializer(selectors.booking_for(viewer=request.user, pk=_int(pk))).data)

    @extend_schema(request=BookingCreateSerializer, responses=BookingSerializer)
    def create(self, request):
        data = self._valid(BookingCreateSerializer, request)
        profile = profile_selectors.profile_for_viewer(ref=data.pop("supporter_ref"), viewer=request.user)
        seeker_id = data.pop("seeker_id", request.user.pk)
        seeker = User.objects.filter(pk=seeker_id).first() or request.user
        package = Package.objects.filter(pk=data.pop("package_id", None), profile=profile).first()
        booking = services.booking_create(actor=request.user, seeker=seeker, profile=profile, package=package, **data)
        return self._respond(booking, status.HTTP_201_CREATED)

    def _simple(self, request, pk, function):
        booking = selectors.booking_for(viewer=request.user, pk=_int(pk))
        function(booking=booking, actor=request.user)
        return self._respond(booking)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._simple(request, pk, services.booking_accept)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._simple(request, pk, services.booking_decline)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._simple(request, pk, services.booking_cancel)

    @extend_schema(request=None, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._simple(request, pk, services.timesheet_approve)

    @extend_schema(request=TimesheetSerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def timesheet(self, request, pk=None):
        booking = selectors.booking_for(viewer=request.user, pk=_int(pk))
        services.timesheet_submit(booking=booking, actor=request.user, **self._valid(TimesheetSerializer, request))
        return self._respond(booking)

    @extend_schema(request=QuerySerializer, responses=BookingSerializer)
    @action(detail=True, methods=["post"])
    def query(self, request, pk=None):
        booking = selectors.booking_for(viewer=request.user, pk=_int(pk))
        services.timesheet_query(booking=booking, actor=request.user, **self._valid(QuerySerializer, request))
        return self._respond(booking)

    @extend_schema(request=PaySerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        booking = selectors.booking_for(viewer=request.user, pk=_int(pk))
        try:
            payment = services.booking_pay(booking=booking, actor=request.user, **self._valid(PaySerializer, request))
        except stripe_client.StripeError:
            message = gettext(
                "We could not reach our card payment service. Nothing was charged. Try again in a few minutes."
            )
            return Response({"detail": message}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(PaymentSerializer(payment).data)

    @extend_schema(request=PaidOutsideSerializer, responses=PaymentSerializer)
    @action(detail=True, methods=["post"], url_path="paid-outside")
    def paid_outside(self, request, pk=None):
        booking = selectors.booking_for(viewer=request.user, pk=_int(pk))
        data = self._valid(PaidOutsideSerializer, request)
        payment = services.payment_record_outside(booking=booking, actor=request.user, **data)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


def _int(pk) -> int:
    if not str(pk).isdigit():
        raise Http404
    return int(pk)
