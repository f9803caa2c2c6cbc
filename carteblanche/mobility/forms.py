import datetime

from django import forms
from django.core.exceptions import ValidationError
from dsfr.forms import DsfrBaseForm

from carteblanche.territories.models import Commune

from .enums import HALF_DAY_CHOICES, RoutingEngine
from .models import Bus, CandidateStop, Shift, TourSettings

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TourSettingsForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = TourSettings
        fields = [
            "morning_start",
            "morning_end",
            "afternoon_start",
            "afternoon_end",
            "road_factor",
            "speed_kmh",
            "access_minutes",
            "solve_seconds",
        ]
        widgets = dict.fromkeys(("morning_start", "morning_end", "afternoon_start", "afternoon_end"), TIME)


class BusForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Bus
        fields = ["name", "depot", "depot_latitude", "depot_longitude", "is_active"]

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory


class ShiftForm(DsfrBaseForm, forms.ModelForm):
    works = forms.BooleanField(label="Le bus circule ce jour-là", required=False, initial=True)

    class Meta:
        model = Shift
        fields = ["works", "start", "end", "break_start", "break_end", "max_hours"]
        widgets = dict.fromkeys(("start", "end", "break_start", "break_end"), TIME)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.is_bound:
            self.fields["works"].initial = False
            self.initial.update(
                start=datetime.time(8, 30),
                end=datetime.time(17, 30),
                break_start=datetime.time(12, 30),
                break_end=datetime.time(13, 30),
                max_hours=8,
            )
        for name in ("start", "end", "max_hours"):
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("works"):
            for name in ("start", "end", "max_hours"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, "Ce champ est obligatoire quand le bus circule.")
        return cleaned

    def _post_clean(self):
        if self.cleaned_data.get("works"):
            super()._post_clean()  # the model's own checks (hours in order, break inside the day)


class StopForm(DsfrBaseForm, forms.ModelForm):
    half_days = forms.MultipleChoiceField(
        label="Demi-journées possibles",
        choices=HALF_DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        help_text="Jours de marché, jours d'ouverture de la mairie… Le calcul choisit parmi celles-ci.",
        error_messages={"required": "Cochez au moins une demi-journée où le bus peut s'arrêter ici."},
    )

    class Meta:
        model = CandidateStop
        fields = [
            "commune",
            "place",
            "latitude",
            "longitude",
            "service_minutes",
            "frequency",
            "half_days",
            "weight_override",
            "is_active",
        ]
        help_texts = {
            "latitude": "En degrés décimaux, par exemple 44,4462. Laissez vide pour le centre de la commune.",
            "longitude": "En degrés décimaux, par exemple 1,4399. Laissez vide pour le centre de la commune.",
        }

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["latitude"].required = False
        self.fields["longitude"].required = False

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune")
        latitude, longitude = cleaned.get("latitude"), cleaned.get("longitude")
        if (latitude is None) != (longitude is None) and not self.errors.keys() & {"latitude", "longitude"}:
            self.add_error("longitude" if longitude is None else "latitude", "Indiquez la latitude et la longitude.")
        elif latitude is None and longitude is None and commune is not None:
            cleaned["latitude"], cleaned["longitude"] = commune.latitude, commune.longitude
        place = cleaned.get("place")
        if commune is not None and place:
            twins = CandidateStop.objects.filter(
                territory=self.instance.territory, commune=commune, place__iexact=place
            )
            if twins.exclude(pk=self.instance.pk).exists():
                self.add_error("place", "Cette commune a déjà un arrêt à ce lieu.")
        return cleaned


class PlanForm(DsfrBaseForm):
    period_start = forms.DateField(
        label="Premier lundi du plan",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Les semaines du cycle comptent à partir de ce lundi.",
    )

    def clean_period_start(self):
        day = self.cleaned_data["period_start"]
        if day.weekday() != 0:
            raise ValidationError("Choisissez un lundi : le plan décrit des semaines du lundi au vendredi.")
        return day


class RoadTimesForm(DsfrBaseForm):
    engine = forms.ChoiceField(label="Moteur de calcul", choices=RoutingEngine.choices)
    file = forms.FileField(
        label="Réponse du moteur (JSON)",
        help_text="La réponse à la requête sur les points téléchargés ci-dessus, dans le même ordre. 5 Mo au plus.",
    )

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError("Le fichier dépasse 5 Mo.")
        return upload
