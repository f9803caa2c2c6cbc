from django import forms
from dsfr.forms import DsfrBaseForm

from carteblanche.core.french import date as french_date

from . import patterns
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


def _time(slot: int) -> str:
    return f"{slot // 2:02d}:{slot % 2 * 30:02d}"


def add_week_fields(form, *, prefix: str = "j", ranges: int = 2, title: str = "") -> None:
    """Ranges of half-hours for each day on ``form`` (``j{day}_{part}_de`` and ``_a``): « 6 h 30 – 14 h 00 » and,
    for a split day, a second; ``prefix`` and ``title`` for another week on the same form."""
    choices = [("", "—"), *HALF_HOURS]
    for day, name in enumerate(DAY_NAMES):
        for part in range(1, ranges + 1):
            for end in ("de", "a"):
                label = f"{title}{name} : {'de' if end == 'de' else 'à'}" + (" (2e plage)" if part == 2 else "")
                form.fields[f"{prefix}{day}_{part}_{end}"] = forms.ChoiceField(
                    label=label, choices=choices, required=False, widget=forms.Select(attrs={"class": "fr-select"})
                )


def week_rows(form, *, prefix: str = "j") -> list[tuple[str, list]]:
    """The bound fields of ``add_week_fields`` by day, for a table of the week: [(« Lundi », [de, à, de, à])]."""
    return [
        (name, [form[n] for n in form.fields if n.startswith(f"{prefix}{day}_")]) for day, name in enumerate(DAY_NAMES)
    ]


def week_field(name: str) -> bool:
    return len(name) > 1 and name[0] in "js" and name[1].isdigit()


def week_pattern(form, data, *, prefix: str = "j", ranges: int = 2) -> dict:
    """The week the fields of ``add_week_fields`` give, as a pattern (``patterns``); a range whose end does not
    follow its start is an error of the form, left out."""
    schedule = {}
    for day, name in enumerate(DAY_NAMES):
        for part in range(1, ranges + 1):
            start, end = data.get(f"{prefix}{day}_{part}_de"), data.get(f"{prefix}{day}_{part}_a")
            if not start and not end:
                continue
            if not start or not end or _slot(end) <= _slot(start):
                form.add_error(f"{prefix}{day}_{part}_a", f"{name} : l'heure de fin doit suivre l'heure de début.")
                continue
            schedule.setdefault(str(day), []).append([_slot(start), _slot(end)])
    return schedule


def week_initial(pattern: dict) -> dict:
    """The values of the fields of ``add_week_fields`` for a pattern: its first two ranges of each day."""
    initial = {}
    for day, ranges in (pattern or {}).items():
        for part, (start, end) in enumerate(sorted(ranges)[:2], start=1):
            initial[f"j{day}_{part}_de"], initial[f"j{day}_{part}_a"] = _time(start), _time(end)
    return initial


SPECIAL = ("special_from", "special_every")


class NeedForm(DsfrBaseForm, forms.ModelForm):
    """A family's need: the parent, her consent, the child, where, and the week in half-hours (two ranges a day:
    « 6 h 30 – 14 h 00 » and, for a split day, a second)."""

    consent = forms.BooleanField(
        label="Le parent est d'accord pour que ce besoin soit enregistré et transmis aux accueillants qu'il acceptera",
        required=True,
        error_messages={"required": "Sans l'accord du parent, son besoin n'est pas enregistré."},
    )
    special_from = forms.DateField(
        label="Semaine particulière (postes tournants, semaine de nuit) : à partir du",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Le lundi de la première semaine différente ; ses heures ci-dessous.",
    )
    special_every = forms.TypedChoiceField(
        label="Cette semaine revient",
        choices=[(0, "Une seule fois"), (2, "Une semaine sur 2"), (3, "Une semaine sur 3"), (4, "Une semaine sur 4")],
        coerce=int,
        required=False,
        initial=0,
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
        add_week_fields(self)
        add_week_fields(self, prefix="s", ranges=1, title="Semaine particulière, ")
        names = list(self.fields)
        usual = [n for n in names if n[0] == "j" and n[1].isdigit()]
        particular = [n for n in names if n[0] == "s" and n[1].isdigit()]
        asked = ["special_from", "special_every", "consent"]
        first = [n for n in names if n not in usual + particular + asked]
        self.order_fields([*first, *usual, "special_from", "special_every", *particular, "consent"])

    def sections(self) -> dict:
        """For the page: the fields before the week, the usual week by day, the particular week, the consent."""
        return {
            "head": [self[n] for n in self.fields if not week_field(n) and n not in SPECIAL and n != "consent"],
            "usual": week_rows(self),
            "special": [self[n] for n in SPECIAL],
            "particular": week_rows(self, prefix="s"),
            "consent": self["consent"],
        }

    def clean(self):
        data = super().clean()
        schedule = week_pattern(self, data)
        if not schedule and not self.errors:
            raise forms.ValidationError("Indiquez au moins une plage de garde dans la semaine.")
        self.instance.schedule = schedule
        special = week_pattern(self, data, prefix="s", ranges=1)
        if special and not data.get("special_from"):
            self.add_error("special_from", "Indiquez à partir de quand vient la semaine particulière.")
        elif data.get("special_from") and not special:
            self.add_error("special_from", "Indiquez les heures de la semaine particulière, ou effacez sa date.")
        elif special:
            item = {"du": data["special_from"].isoformat(), "planning": special}
            if data.get("special_every"):
                item["tous_les"] = data["special_every"]
            self.instance.exceptions = [item]
        if data.get("end_date") and data.get("start_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "La fin de la garde doit suivre son début.")
        return data


class AvailabilityForm(DsfrBaseForm):
    """A childminder's availability, from her link: the half-hours of the week where she can take one more child
    (two ranges a day, none when she has no place), and the children she no longer keeps."""

    ended = forms.ModelMultipleChoiceField(
        label="Les accueils qui ont pris fin",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Cochez un enfant que vous n'accueillez plus : ses heures vous sont rendues.",
    )

    def __init__(self, *args, provider, kept, **kwargs):
        super().__init__(*args, initial=week_initial(provider.opening), **kwargs)
        add_week_fields(self)
        self.fields["ended"].queryset = kept
        self.fields["ended"].label_from_instance = lambda child: (
            f"Accueilli depuis le {french_date(child.first_date)} : "
            + patterns.label(patterns.slots_of(child.schedule))
        )
        if not kept.exists():
            del self.fields["ended"]
        self.order_fields([name for name in self.fields if name != "ended"])
        self.pattern: dict = {}

    def sections(self) -> dict:
        return {
            "usual": week_rows(self),
            "head": [self[n] for n in self.fields if not week_field(n)],
        }

    def clean(self):
        data = super().clean()
        self.pattern = week_pattern(self, data)
        return data
