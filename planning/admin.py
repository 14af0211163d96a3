"""The operator edits the rates table here; saving goes through planning.services.rates_table_save.

Plans themselves are not in the admin: they are special-category data, seen only by the person and whom they
share them with."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from marketplace.admin import ServiceAdmin

from . import services
from .models import RatesTable


class RatesTableForm(forms.ModelForm):
    class Meta:
        model = RatesTable
        fields = [
            field.name
            for field in RatesTable._meta.concrete_fields
            if field.name not in ("id", "updated_at", "updated_by")
        ]

    def _post_clean(self):
        super()._post_clean()
        try:
            services.rates_table_check(self.instance)
        except ValidationError as error:
            self._update_errors(error)


@admin.register(RatesTable)
class RatesTableAdmin(ServiceAdmin):
    form = RatesTableForm
    list_display = ["label", "tax_year_start", "min_wage_21_plus_pence", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # a year's figures stay on record

    def service_save(self, request, obj, form, change):
        services.rates_table_save(table=obj, actor=request.user)

    def service_delete(self, request, obj):  # pragma: no cover - deleting is not offered
        raise NotImplementedError
