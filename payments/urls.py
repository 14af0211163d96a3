from django.urls import path

import marketplace.converters  # noqa: F401  (registers <id:...>, a bounded integer)

from . import views, webhooks

app_name = "payments"
urlpatterns = [
    path("bookings/", views.booking_list, name="booking-list"),
    path("bookings/new/<slug:ref>/", views.booking_new, name="booking-new"),
    path("bookings/<id:pk>/", views.booking_detail, name="booking-detail"),
    path("bookings/<id:pk>/accept/", views.booking_action, {"action": "accept"}, name="booking-accept"),
    path("bookings/<id:pk>/decline/", views.booking_action, {"action": "decline"}, name="booking-decline"),
    path("bookings/<id:pk>/cancel/", views.booking_cancel, name="booking-cancel"),
    path("bookings/<id:pk>/approve/", views.booking_action, {"action": "approve"}, name="booking-approve"),
    path("bookings/<id:pk>/hours/", views.booking_timesheet, name="booking-timesheet"),
    path("bookings/<id:pk>/query/", views.booking_query, name="booking-query"),
    path("bookings/<id:pk>/pay/", views.booking_pay, name="booking-pay"),
    path("bookings/<id:pk>/paid-outside/", views.booking_paid_outside, name="booking-paid-outside"),
    path("receipts/<str:number>/", views.receipt, name="receipt"),
    path("me/offers/", views.offers, name="offers"),
    path("me/offers/packages/<id:pk>/", views.package_edit, name="package-edit"),
    path("me/offers/packages/<id:pk>/remove/", views.package_remove, name="package-remove"),
    path("me/payments/stripe/start/", views.stripe_onboard, name="stripe-onboard"),
    path("me/payments/stripe/refresh/", views.stripe_onboard, name="stripe-refresh"),
    path("me/payments/stripe/return/", views.stripe_return, name="stripe-return"),
    path("me/budget/", views.budget, name="budget"),
    path("me/budget/for/<id:user_id>/", views.budget, name="budget-for"),
    path("me/budget/entries/<id:pk>/remove/", views.budget_entry_remove, name="budget-entry-remove"),
    path("me/budget/export.csv", views.budget_export_csv, name="budget-csv"),
    path("me/budget/for/<id:user_id>/export.csv", views.budget_export_csv, name="budget-csv-for"),
    path("me/budget/summary/", views.budget_print, name="budget-print"),
    path("me/budget/for/<id:user_id>/summary/", views.budget_print, name="budget-print-for"),
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe-webhook"),
]
