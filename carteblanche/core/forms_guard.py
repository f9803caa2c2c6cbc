"""Every choice of a record in a form (a commune, an organisation, a code…) refuses a key no database can hold.

Django's ``ModelChoiceField`` and ``ModelMultipleChoiceField`` turn a posted key into a query; a key past 64 bits
(« 9999…9 ») then crashes the database driver (``OverflowError`` in SQLite, ``NumericValueOutOfRange`` in
PostgreSQL) instead of the field's own « Sélectionnez un choix valide » error: a 500 for a typo or a probe. Found by
the form fuzzer (``tests/permissions/test_fuzz_forms.py``). ``install`` (from ``CoreConfig.ready``) puts the check
in front of both fields, for every form of the platform and of the administration.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelChoiceField, ModelMultipleChoiceField

LIMIT = 2**63 - 1


def holds_integers(field) -> bool:
    key = field.to_field_name or "pk"
    meta = field.queryset.model._meta
    target = meta.pk if key == "pk" else meta.get_field(key)
    return isinstance(target, models.IntegerField)


def out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # not a number: the field's own error says so
    return not -LIMIT - 1 <= number <= LIMIT


def install() -> None:
    if getattr(ModelChoiceField, "_carteblanche_guarded", False):
        return
    single, multiple = ModelChoiceField.to_python, ModelMultipleChoiceField._check_values

    def to_python(self, value):
        if value not in self.empty_values and holds_integers(self) and out_of_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return single(self, value)

    def check_values(self, value):
        if not isinstance(value, str | bytes) and holds_integers(self):
            for each in value or ():
                if out_of_range(each):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": str(each)[:20]}
                    )
        return multiple(self, value)

    ModelChoiceField.to_python = to_python
    ModelMultipleChoiceField._check_values = check_values
    ModelChoiceField._carteblanche_guarded = True
