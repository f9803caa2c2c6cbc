"""The signal, as a vigie sends it from her link or a resident without an account: one short form for a phone."""

from django import forms
from dsfr.forms import DsfrBaseForm

from carteblanche.core.personal_data import validate_no_personal_or_health_data
from carteblanche.core.widgets import PersonalDataTextarea
from carteblanche.territories.models import Commune

from .enums import Seen, Urgency
from .models import Network, Signal

WORDS_MAX = Signal._meta.get_field("words").max_length


class SignalForm(DsfrBaseForm):
    """Where, what was seen from the short list, how urgent, a few words without any health data."""

    commune = forms.ModelChoiceField(
        label="Commune",
        queryset=Commune.objects.none(),
        empty_label="Choisir la commune",
        error_messages={"required": "Choisissez la commune.", "invalid_choice": "Choisissez une commune de la liste."},
    )
    place = forms.CharField(
        label="Adresse ou lieu",
        max_length=200,
        help_text="Par exemple : 12 rue des Écoles, le hameau du Mas, la maison après l'église.",
        error_messages={"required": "Dites où : une adresse ou un lieu que la structure saura trouver."},
    )
    person_name = forms.CharField(
        label="Nom de la personne",
        max_length=200,
        required=False,
        help_text="Seulement si vous le connaissez.",
    )
    seen = forms.MultipleChoiceField(
        label="Ce que vous avez remarqué",
        help_text="Plusieurs réponses possibles.",
        choices=Seen.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Cochez au moins une chose que vous avez remarquée.",
            "invalid_choice": "Cochez une ou plusieurs réponses de la liste.",
        },
    )
    urgency = forms.ChoiceField(
        label="Quand faudrait-il agir ?",
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Dites quand il faudrait agir : dans la journée, la semaine ou le mois.",
            "invalid_choice": "Choisissez une réponse de la liste.",
        },
    )
    words = forms.CharField(
        label="En quelques mots",
        help_text=(
            "Facultatif. Aucune donnée de santé : ni maladie, ni diagnostic, ni traitement. "
            "Dites ce que vous avez vu, pas ce que vous supposez."
        ),
        max_length=WORDS_MAX,
        required=False,
        validators=[validate_no_personal_or_health_data],
        widget=PersonalDataTextarea(attrs={"rows": 3}, health=True),
    )

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["commune"].label_from_instance = lambda commune: commune.name

    def signal_fields(self) -> dict:
        """What ``services.signal_send`` takes, from the cleaned form."""
        data = self.cleaned_data
        return {name: data[name] for name in ("commune", "place", "person_name", "seen", "urgency", "words")}


class ResidentSignalForm(SignalForm):
    """The same for a resident without an account: the structure to send it to when the territory has several
    networks, and a field hidden from people that robots fill."""

    network = forms.ModelChoiceField(
        label="À quelle structure l'envoyer ?",
        queryset=Network.objects.none(),
        empty_label="Choisir la structure",
        error_messages={
            "required": "Choisissez la structure qui recevra votre signalement.",
            "invalid_choice": "Choisissez une structure de la liste.",
        },
    )
    # Honeypot: hidden from people (CSS and aria-hidden), filled by robots; a name browsers do not autofill.
    champ_controle = forms.CharField(label="Ne pas remplir ce champ", required=False)

    field_order = ["network"]

    def __init__(self, *args, territory, networks, **kwargs):
        super().__init__(*args, territory=territory, **kwargs)
        self.networks = list(networks)
        if len(self.networks) == 1:
            del self.fields["network"]
        else:
            self.fields["network"].queryset = Network.objects.filter(
                pk__in=[n.pk for n in self.networks]
            ).select_related("organisation")
            self.fields["network"].label_from_instance = lambda network: (
                f"{network.organisation.name} ({network.name})"
            )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("champ_controle"))

    def chosen_network(self) -> Network:
        return self.cleaned_data["network"] if "network" in self.fields else self.networks[0]
