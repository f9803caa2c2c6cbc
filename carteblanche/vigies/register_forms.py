from django import forms
from dsfr.forms import DsfrBaseForm

from carteblanche.territories.models import Commune

from .enums import CallOutcome, PlanKind


class CampaignForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Plan déclenché par le préfet", choices=PlanKind.choices)
    communes = forms.ModelMultipleChoiceField(
        label="Communes appelées",
        queryset=Commune.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une commune."},
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        with_register = Commune.objects.filter(territories=territory, register_entries__isnull=False).distinct()
        self.fields["communes"].queryset = with_register.order_by("name")


class CallForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label="Résultat", choices=CallOutcome.choices, widget=forms.Select(attrs={"class": "fr-select"})
    )
    note = forms.CharField(label="Remarque", required=False, max_length=300)
    attempt = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=50)
