"""The forms of the structure's and partners' pages: the queue's filter, each step of a signal, a vigie registered."""

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from carteblanche.core.messaging import is_mobile, national_phone
from carteblanche.core.personal_data import validate_no_personal_or_health_data
from carteblanche.territories.models import Organisation

from .enums import InformedHow, Outcome, SignalStatus, VigieRole
from .models import Network

ONGOING = "en_cours"  # the queue's default: every signal not yet closed
EVERY = "tous"


class QueueFilterForm(DsfrBaseForm):
    etat = forms.ChoiceField(
        label="État",
        initial=ONGOING,
        choices=[(ONGOING, "En cours (non clos)"), *SignalStatus.choices, (EVERY, "Tous")],
    )

    def state(self) -> str:
        return self.cleaned_data["etat"] if self.is_valid() else ONGOING


def _note(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=300,
        validators=[validate_no_personal_or_health_data],
        help_text=help_text or "Quelques mots, sans aucune donnée de santé.",
    )


class QualifyForm(DsfrBaseForm):
    note = _note("Remarque", help_text="Ce qui confirme le signalement, sans aucune donnée de santé.")


class AssignForm(DsfrBaseForm):
    partner = forms.ModelChoiceField(
        label="Confier à",
        queryset=Organisation.objects.none(),
        empty_label="— Choisir un partenaire —",
        error_messages={"required": "Choisissez le partenaire à qui confier ce signalement."},
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = network.partners.order_by("name")


ACCEPT, REFUSE = "accepter", "refuser"


class AnswerForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Votre réponse",
        choices=[(ACCEPT, "Nous le prenons en charge"), (REFUSE, "Nous ne pouvons pas le prendre")],
        widget=forms.RadioSelect,
        error_messages={"required": "Dites si vous prenez ce signalement en charge."},
    )
    reason = _note(
        "Si vous refusez, pourquoi ?",
        help_text="Obligatoire pour un refus : la structure le confiera à un autre partenaire.",
    )

    @property
    def accept(self) -> bool:
        return self.cleaned_data["decision"] == ACCEPT


class ContactForm(DsfrBaseForm):
    note = _note("Remarque", help_text="Comment le contact a été établi, sans aucune donnée de santé.")


class CloseForm(DsfrBaseForm):
    outcome = forms.ChoiceField(
        label="Issue",
        choices=[("", "— Choisir l'issue —"), *((v, label) for v, label in Outcome.choices if v != Outcome.OBJECTED)],
        error_messages={"required": "Indiquez l'issue du signalement."},
    )
    note = _note("Remarque")


class VigieForm(DsfrBaseForm):
    """A person the structure trained: how she is reached (her link is sent there)."""

    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    role = forms.ChoiceField(label="Activité", choices=[("", "— Choisir —"), *VigieRole.choices])
    phone = forms.CharField(
        label="Portable",
        max_length=30,
        required=False,
        help_text="Son lien lui est envoyé par SMS sans adresse e-mail.",
    )
    email = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        help_text="Exemple : nom@exemple.fr.",
        error_messages={"invalid": "Adresse e-mail incorrecte : elle s'écrit comme nom@exemple.fr."},
    )
    trained_on = forms.DateField(
        label="Formée le", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, networks, **kwargs):
        super().__init__(*args, **kwargs)
        if len(networks) > 1:
            self.fields["network"] = forms.ModelChoiceField(
                label="Réseau", queryset=Network.objects.filter(pk__in=[n.pk for n in networks])
            )
        self.networks = networks

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone and not national_phone(phone):
            raise forms.ValidationError("Numéro incorrect : il s'écrit comme 06 12 34 56 78.")
        return phone

    def clean(self):
        cleaned = super().clean()
        if self.errors.get("email") or self.errors.get("phone"):
            return cleaned
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if not (phone or email):
            self.add_error(None, "Indiquez un portable ou une adresse e-mail : la vigie y reçoit son lien.")
        elif not email and not is_mobile(phone):
            self.add_error("phone", "Sans adresse e-mail, indiquez un portable (06 ou 07) : son lien part par SMS.")
        return cleaned

    def network(self):
        return self.cleaned_data.get("network") or self.networks[0]

    def fields_of_vigie(self) -> dict:
        names = ("first_name", "last_name", "role", "phone", "email", "trained_on")
        return {name: self.cleaned_data[name] for name in names}


class InformForm(DsfrBaseForm):
    how = forms.ChoiceField(
        label="Elle a été informée",
        choices=[("", "— Comment ? —"), *InformedHow.choices],
        error_messages={"required": "Indiquez comment la personne a été informée."},
    )


class ObjectionForm(DsfrBaseForm):
    """Nothing to fill: the button says it all (the page explains what is erased)."""


class PersonLinkForm(DsfrBaseForm):
    """Her name and birth date, to bring the signal to her space if she has one (never said whether she has)."""

    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    birth_date = forms.DateField(
        label="Date de naissance",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Date de naissance incorrecte : elle s'écrit comme 12/04/1947."},
    )

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born >= timezone.localdate():
            raise forms.ValidationError("La date de naissance doit être passée.")
        return born
