from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Operation, Phase


class OperationForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Operation
        fields = ["name", "slug", "description", "start_date", "end_date", "public_form_open", "published"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }


class PhaseForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "order", "status", "start_date", "end_date"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }
