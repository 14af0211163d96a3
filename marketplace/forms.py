"""Form helpers every app's HTML views share."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, beside the field it names, so the person sees it there."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def apply_form(request, form, action, success) -> bool:
    """Run a service on a valid form and say it worked; True when it did, else the service's errors stay on
    the form. ``action`` takes the cleaned data; ``success`` is the message, or makes it from the result."""
    from django.contrib import messages

    if not form.is_valid():
        return False
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True
