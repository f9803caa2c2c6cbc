from django import forms
from dsfr.forms import DsfrBaseForm


class AnswerForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Si vous refusez, pourquoi ?",
        required=False,
        max_length=200,
        help_text="Quelques mots : « plus de place le mardi », « trop loin ».",
    )
