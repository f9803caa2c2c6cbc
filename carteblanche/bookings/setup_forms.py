"""The forms of the bookings' settings: a motif, a resource, a schedule, a schedule's end.

Each offers only what she sets up (her organisations, their agents, resources and motifs, the territory's sites);
the rules between objects (a colleague of the same organisation, no overlap) are the services' (``setup.py``)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from dsfr.forms import DsfrBaseForm

from carteblanche.quality.models import Structure
from carteblanche.territories.enums import Weekday

from . import setup
from .models import Motif, Resource, Schedule

MAX_CHECKS = 30
TIME = {"type": "time", "step": 300}


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _one_organisation(form, organisations) -> None:
    """Her only organisation goes without asking; with several (or as the team), she chooses."""
    form.fields["organisation"].queryset = organisations
    form.fields["organisation"].empty_label = None
    only = list(organisations[:2])
    if len(only) == 1 and form.instance.organisation_id in (None, only[0].pk):
        del form.fields["organisation"]
        form.instance.organisation = only[0]


class MotifForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Motif
        fields = [
            "organisation",
            "name",
            "description",
            "duration_minutes",
            "buffer_minutes",
            "place",
            "audience",
            "min_notice_hours",
            "max_notice_days",
            "capacity",
            "sessions",
            "session_interval_days",
            "no_health_data",
            "structure",
            "is_active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "duration_minutes": forms.NumberInput(attrs={"step": 5, "min": 5}),
            "buffer_minutes": forms.NumberInput(attrs={"step": 5, "min": 0}),
        }
        help_texts = {
            "duration_minutes": "Un multiple de 5 minutes, de 5 minutes à 8 heures.",
            "is_active": "Décoché, le motif n'est plus proposé ; les rendez-vous déjà pris restent.",
        }

    def __init__(self, *args, territory, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        _one_organisation(self, organisations)
        self.fields["structure"].queryset = Structure.objects.filter(territory=territory).order_by("name")
        self.fields["structure"].required = False
        self.fields["structure"].empty_label = "Aucune"

    def clean(self):
        data = super().clean()
        if (data.get("capacity") or 1) > 1 and (data.get("sessions") or 1) > 1:
            self.add_error("sessions", "Un atelier collectif (plus d'une place) se réserve en une séance.")
        return data


class ResourceForm(DsfrBaseForm, forms.ModelForm):
    checklist = forms.CharField(
        label="Vérifications à l'ouverture",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Une ligne par vérification (tensiomètre chargé, écran allumé, lingettes…).",
    )

    class Meta:
        model = Resource
        fields = ["organisation", "name", "kind", "site", "checklist"]

    def __init__(self, *args, territory, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        _one_organisation(self, organisations)
        self.fields["site"].queryset = setup.territory_sites(territory)
        if self.instance.pk:
            self.initial["checklist"] = "\n".join(self.instance.checklist)

    def clean_checklist(self):
        lines = [line.strip() for line in self.cleaned_data["checklist"].splitlines() if line.strip()]
        if len(lines) > MAX_CHECKS:
            raise forms.ValidationError(f"{MAX_CHECKS} vérifications au plus, une par ligne.")
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError("Une vérification tient en 200 caractères : coupez la ligne trop longue.")
        return lines


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class MotifChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, with_organisation=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_organisation = with_organisation

    def label_from_instance(self, obj):
        label = obj.name if obj.is_active else f"{obj.name} (plus proposé)"
        return f"{label} — {obj.organisation.name}" if self.with_organisation else label


class ScheduleForm(DsfrBaseForm, forms.ModelForm):
    agent = AgentChoiceField(
        label="Agent",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="— (plage d'une ressource)",
        help_text="Vous-même ou un agent de votre organisation.",
    )
    resource = forms.ModelChoiceField(
        label="Ou ressource",
        queryset=Resource.objects.none(),
        required=False,
        empty_label="— (plage d'un agent)",
        help_text="La cabine, une salle : choisissez un agent ou une ressource, pas les deux.",
    )
    motifs = MotifChoiceField(
        label="Motifs proposés", queryset=Motif.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Schedule
        fields = [
            "organisation",
            "agent",
            "resource",
            "motifs",
            "site",
            "bus_stop",
            "weekday",
            "start",
            "end",
            "recurrence",
            "first_date",
            "last_date",
        ]
        widgets = {
            "start": forms.TimeInput(attrs=TIME, format="%H:%M"),
            "end": forms.TimeInput(attrs=TIME, format="%H:%M"),
            "first_date": _date_input(),
            "last_date": _date_input(),
        }
        labels = {"start": "De (heure)", "end": "À (heure)", "site": "Lieu d'accueil", "bus_stop": "Ou arrêt du bus"}
        help_texts = {
            "start": "Une heure ronde à 5 minutes près, par exemple 9:05.",
            "site": "Laissez vide pour des rendez-vous par téléphone ou à domicile.",
            "bus_stop": "Dans le bus France services : ses jours et heures de passage du plan publié sont vérifiés.",
            "last_date": "Laissez vide pour une plage sans fin prévue.",
        }

    def __init__(self, *args, territory, organisations, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        several = len(organisations[:2]) > 1
        _one_organisation(self, organisations)
        agents = setup.agents_of(territory, organisations)
        self.fields["agent"].queryset = agents
        self.fields["resource"].queryset = Resource.objects.filter(organisation__in=organisations).order_by("name")
        # The motifs offered: the active ones, and those the schedule already offers.
        chosen = self.instance.motifs.values("pk") if self.instance.pk else []
        offered = Motif.objects.filter(organisation__in=organisations).filter(Q(is_active=True) | Q(pk__in=chosen))
        self.fields["motifs"].queryset = offered.select_related("organisation").order_by("organisation__name", "name")
        self.fields["motifs"].with_organisation = several
        self.fields["site"].queryset = setup.territory_sites(territory)
        self.fields["site"].required = False
        self.fields["site"].empty_label = "Aucun (téléphone, domicile)"
        self.fields["bus_stop"].queryset = setup.bus_stops(territory)
        self.fields["bus_stop"].required = False
        self.fields["bus_stop"].empty_label = "Aucun"
        self.fields["weekday"].choices = Weekday.choices
        if not self.instance.pk and agents.filter(pk=user.pk).exists():
            self.initial.setdefault("agent", user.pk)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] >= data["end"]:
            self.add_error("end", "La fin de la plage doit suivre son début.")
        if "agent" in data and "resource" in data and bool(data["agent"]) == bool(data["resource"]):
            self.add_error("agent", "Choisissez un agent ou une ressource : l'un des deux, pas les deux.")
        if data.get("first_date") and data.get("last_date") and data["last_date"] < data["first_date"]:
            self.add_error("last_date", "La dernière date doit suivre la première.")
        return data


class ScheduleEndForm(DsfrBaseForm):
    last_date = forms.DateField(
        label="Dernier jour d'ouverture",
        widget=_date_input(),
        help_text="Après ce jour, la plage ne propose plus de créneau. Elle reste dans l'historique.",
    )
