from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Need


class AnswerForm(DsfrBaseForm):
    reason = forms.CharField(
        label="Si vous refusez, pourquoi ?",
        required=False,
        max_length=200,
        help_text="Quelques mots : « plus de place le mardi », « trop loin ».",
    )


HALF_HOURS = [(f"{h:02d}:{m:02d}", f"{h} h {m:02d}") for h in range(24) for m in (0, 30)] + [("24:00", "24 h 00")]
DAY_NAMES = ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]


def _slot(value: str) -> int:
    hours, minutes = value.split(":")
    return int(hours) * 2 + int(minutes) // 30


class NeedForm(DsfrBaseForm, forms.ModelForm):
    """A family's need: the parent, her consent, the child, where, and the week in half-hours (two ranges a day:
    « 6 h 30 – 14 h 00 » and, for a split day, a second)."""

    consent = forms.BooleanField(
        label="Le parent est d'accord pour que ce besoin soit enregistré et transmis aux accueillants qu'il acceptera",
        required=True,
        error_messages={"required": "Sans l'accord du parent, son besoin n'est pas enregistré."},
    )

    class Meta:
        model = Need
        fields = [
            "parent_first_name",
            "parent_last_name",
            "phone",
            "email",
            "child_birth_date",
            "start_date",
            "end_date",
            "commune",
            "drop_place",
            "max_travel_minutes",
            "special_needs",
            "job_seeker_promise",
            "single_parent",
        ]
        widgets = {
            "child_birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, territory, **kwargs):
        from carteblanche.core.personal_data import validate_no_personal_or_health_data
        from carteblanche.territories.models import Commune

        super().__init__(*args, **kwargs)
        self.instance.territory = territory
        self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["special_needs"].validators.append(validate_no_personal_or_health_data)
        choices = [("", "—"), *HALF_HOURS]
        for day, name in enumerate(DAY_NAMES):
            for part in (1, 2):
                for end in ("de", "a"):
                    label = f"{name} : {'de' if end == 'de' else 'à'}" + (" (2e plage)" if part == 2 else "")
                    self.fields[f"j{day}_{part}_{end}"] = forms.ChoiceField(
                        label=label, choices=choices, required=False
                    )

    def clean(self):
        data = super().clean()
        schedule = {}
        for day, name in enumerate(DAY_NAMES):
            for part in (1, 2):
                start, end = data.get(f"j{day}_{part}_de"), data.get(f"j{day}_{part}_a")
                if not start and not end:
                    continue
                if not start or not end or _slot(end) <= _slot(start):
                    self.add_error(f"j{day}_{part}_a", f"{name} : l'heure de fin doit suivre l'heure de début.")
                    continue
                schedule.setdefault(str(day), []).append([_slot(start), _slot(end)])
        if not schedule and not self.errors:
            raise forms.ValidationError("Indiquez au moins une plage de garde dans la semaine.")
        self.instance.schedule = schedule
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "La fin de la garde doit suivre son début.")
        return data
