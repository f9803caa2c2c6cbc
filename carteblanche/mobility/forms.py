import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from carteblanche.core import french
from carteblanche.core.messaging import national_phone
from carteblanche.territories import geo
from carteblanche.territories.models import Commune, ServiceSite

from .enums import HALF_DAY_CHOICES, RIDE_HALF_DAY_CHOICES, Channel, ReturnKind, RidePurpose, RoutingEngine
from .models import Bus, CandidateStop, Driver, HitchhikingStop, Passenger, Shift, TourSettings

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def check_point_in_commune(form, commune, latitude_field: str, longitude_field: str) -> None:
    """A point typed by hand must lie in its commune: it is published on the public map."""
    latitude, longitude = form.cleaned_data.get(latitude_field), form.cleaned_data.get(longitude_field)
    known = commune is not None and latitude is not None and longitude is not None
    if known and not geo.in_commune(commune, latitude, longitude):
        form.add_error(latitude_field, geo.outside_message(f"la commune de {commune.name}"))


class TerritoryModelForm(DsfrBaseForm, forms.ModelForm):
    """A model form for a row of one territory: it belongs there, and picks communes among the territory's."""

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        for field in self.fields.values():
            if isinstance(field, forms.FloatField):
                # Coordinates and decimals as French people write them: 44,4462 (the point is accepted too).
                field.localize = True
                field.widget = forms.TextInput(attrs={**field.widget.attrs, "inputmode": "decimal"})
                field.widget.is_localized = True
        if "commune" in self.fields:
            self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")


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
            "contact_phone",
        ]
        widgets = dict.fromkeys(("morning_start", "morning_end", "afternoon_start", "afternoon_end"), TIME)

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not national_phone(phone):
            raise ValidationError("Numéro de téléphone français attendu : 10 chiffres, par exemple 05 65 12 34 56.")
        return french.phone(phone) if phone else ""


class BusForm(TerritoryModelForm):
    class Meta:
        model = Bus
        fields = ["name", "depot", "depot_latitude", "depot_longitude", "is_active"]

    def clean(self):
        cleaned = super().clean()
        latitude, longitude = cleaned.get("depot_latitude"), cleaned.get("depot_longitude")
        # The garage may stand just outside the territory: within a commune's reach of it.
        reach = geo.NO_BOUNDARY_KM
        if (
            latitude is not None
            and longitude is not None
            and not geo.in_territory(self.instance.territory, latitude, longitude, margin_km=reach)
        ):
            self.add_error("depot_latitude", geo.outside_message("du territoire"))
        return cleaned


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


class StopForm(TerritoryModelForm):
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
        super().__init__(*args, territory=territory, **kwargs)
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
        else:
            check_point_in_commune(self, commune, "latitude", "longitude")
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


# ---------------------------------------------------------------------------------------------------------------
# Solidarity rides


class _PersonForm(TerritoryModelForm):
    # Who the person is and how to reach her: the first fields of every passenger's and driver's file.
    IDENTITY = ["first_name", "last_name", "phone", "email", "commune"]

    consent = forms.BooleanField(
        label="La personne accepte que ses coordonnées soient conservées et transmises pour organiser les trajets",
        help_text="Lisez-lui cette phrase au téléphone ; elle peut retirer son accord à tout moment.",
        error_messages={"required": "Sans l'accord de la personne, ses coordonnées ne peuvent pas être enregistrées."},
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, territory=territory, **kwargs)
        if self.instance.pk:
            self.fields["consent"].initial = True

    def clean_phone(self):
        phone = "".join(ch for ch in self.cleaned_data["phone"] if ch.isdigit() or ch == "+")
        if len(phone.lstrip("+")) < 10:
            raise ValidationError("Numéro de téléphone incomplet : 10 chiffres, par exemple 06 12 34 56 78.")
        return phone


class PassengerForm(_PersonForm):
    class Meta:
        model = Passenger
        fields = [
            *_PersonForm.IDENTITY,
            "address",
            "wheelchair",
            "needs_help",
            "preferred_driver",
            "consent_channel",
            "consent",
        ]

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, territory=territory, **kwargs)
        self.fields["preferred_driver"].queryset = Driver.objects.active().filter(territory=territory)


class DriverForm(_PersonForm):
    availability = forms.MultipleChoiceField(
        label="Disponibilités de la semaine",
        choices=RIDE_HALF_DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    identity_checked = forms.BooleanField(
        label="Identité, permis de conduire et assurance vérifiés par l'opérateur",
        required=False,
        help_text="Tant que ce n'est pas fait, aucun trajet ne lui est proposé.",
    )

    class Meta:
        model = Driver
        fields = [
            *_PersonForm.IDENTITY,
            "vehicle",
            "seats",
            "wheelchair",
            "perimeter_km",
            "availability",
            "identity_checked",
            "is_active",
            "consent_channel",
            "consent",
        ]

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, territory=territory, **kwargs)
        self.fields["identity_checked"].initial = bool(self.instance.identity_checked_at)


class RideForm(DsfrBaseForm):
    """A ride booked for a passenger, often by phone: where, when, why, with which needs."""

    passenger = forms.ModelChoiceField(label="Passager", queryset=Passenger.objects.none())
    from_home = forms.BooleanField(label="Départ du domicile du passager", required=False, initial=True)
    origin_commune = forms.ModelChoiceField(
        label="Commune de départ, si ce n'est pas le domicile", queryset=Commune.objects.none(), required=False
    )
    destination_site = forms.ModelChoiceField(
        label="Lieu de rendez-vous",
        queryset=ServiceSite.objects.none(),
        required=False,
        help_text="France services, CAF, France Travail… Sinon, indiquez l'adresse et la commune ci-dessous.",
    )
    destination = forms.CharField(label="Autre destination (adresse)", max_length=200, required=False)
    destination_commune = forms.ModelChoiceField(
        label="Commune de l'autre destination", queryset=Commune.objects.none(), required=False
    )
    purpose = forms.ChoiceField(label="Motif", choices=RidePurpose.choices)
    date = forms.DateField(
        label="Date du rendez-vous", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    time = forms.TimeField(label="Heure du rendez-vous", widget=TIME)
    margin_minutes = forms.IntegerField(label="Arriver en avance de (minutes)", min_value=0, max_value=180, initial=20)
    return_kind = forms.ChoiceField(label="Retour", choices=ReturnKind.choices, initial=ReturnKind.WAIT)
    duration_minutes = forms.IntegerField(
        label="Durée prévue du rendez-vous (minutes)", min_value=5, max_value=480, initial=60
    )
    wheelchair = forms.BooleanField(label="Fauteuil roulant", required=False)
    needs_help = forms.BooleanField(label="Aide pour monter ou porter", required=False)
    notes = forms.CharField(
        label="Remarques pour le chauffeur", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    channel = forms.ChoiceField(label="Demande reçue", choices=Channel.choices, initial=Channel.PHONE)

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        communes = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["passenger"].queryset = Passenger.objects.active().filter(territory=territory)
        self.fields["origin_commune"].queryset = communes
        self.fields["destination_commune"].queryset = communes
        self.fields["destination_site"].queryset = ServiceSite.objects.filter(
            commune__territories=territory, is_mobile=False
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("from_home") and not cleaned.get("origin_commune"):
            self.add_error("origin_commune", "Indiquez la commune de départ, ou cochez le départ du domicile.")
        if not cleaned.get("destination_site") and not (
            cleaned.get("destination") and cleaned.get("destination_commune")
        ):
            self.add_error(
                "destination_site", "Choisissez un lieu de rendez-vous, ou indiquez une adresse et sa commune."
            )
        if cleaned.get("date") and cleaned.get("time"):
            moment = timezone.make_aware(datetime.datetime.combine(cleaned["date"], cleaned["time"]))
            if moment <= timezone.now():
                self.add_error("date", "Le rendez-vous doit être à venir.")
            cleaned["appointment_at"] = moment
        passenger = cleaned.get("passenger")
        if passenger is not None:
            cleaned["wheelchair"] = cleaned.get("wheelchair") or passenger.wheelchair
            cleaned["needs_help"] = cleaned.get("needs_help") or passenger.needs_help
        return cleaned


class TripForm(DsfrBaseForm):
    km = forms.DecimalField(label="Kilomètres parcourus avec le passager", min_value=0, max_digits=6, decimal_places=1)
    participation = forms.DecimalField(
        label="Participation aux frais demandée (€)", min_value=0, max_digits=7, decimal_places=2
    )


class CancelForm(DsfrBaseForm):
    reason = forms.CharField(label="Motif de l'annulation", max_length=300)


class AssignForm(DsfrBaseForm):
    driver = forms.ModelChoiceField(label="Chauffeur joint par téléphone", queryset=Driver.objects.none())

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["driver"].queryset = Driver.objects.active().filter(
            territory=territory, identity_checked_at__isnull=False
        )


class HitchhikingStopForm(TerritoryModelForm):
    class Meta:
        model = HitchhikingStop
        fields = ["commune", "name", "latitude", "longitude", "directions"]

    def clean(self):
        cleaned = super().clean()
        check_point_in_commune(self, cleaned.get("commune"), "latitude", "longitude")
        return cleaned
