from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from carteblanche.core import french
from carteblanche.territories.models import Commune, Organisation

from .counter import MEMBER_FACTS
from .enums import ContractType, DataCategory, ImportKind, IncomeKind, MemberRole, Purpose, Tenure
from .models import HouseholdMember, Person

MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed as AAAA-MM (or picked), kept as its first day."""

    widget = MONTH_WIDGET

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%m/%Y", "%Y-%m-%d"])
        kwargs.setdefault("help_text", "Format attendu : AAAA-MM.")
        kwargs.setdefault("error_messages", {"invalid": "Indiquez un mois au format AAAA-MM, par exemple 2026-09."})
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class SearchForm(DsfrBaseForm):
    q = forms.CharField(
        label="Nom, prénom ou numéro d'allocataire",
        max_length=100,
        required=False,
        help_text="Seuls les dossiers dont le consentement autorise votre organisation apparaissent.",
    )


class ConsentForm(DsfrBaseForm):
    """The scope of a consent: which data, shared with whom, for what, how long."""

    categories = forms.MultipleChoiceField(
        label="Données partagées",
        choices=DataCategory.choices,
        initial=list(DataCategory.values),
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations autorisées à transmettre et consulter ces données",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    purposes = forms.MultipleChoiceField(
        label="Pour quoi faire",
        choices=Purpose.choices,
        initial=list(Purpose.values),
        widget=forms.CheckboxSelectMultiple,
    )
    days = forms.IntegerField(label="Durée du consentement (jours)", min_value=1, max_value=730, initial=365)

    def __init__(self, *args, territory, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["organisations"].queryset = Organisation.objects.filter(territory=territory)
        if organisation is not None:
            self.fields["organisations"].initial = [organisation.pk]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("categories") and DataCategory.IDENTITY not in cleaned["categories"]:
            self.add_error("categories", "L'identité est nécessaire pour retrouver le dossier.")
        return cleaned


class RegisterForm(ConsentForm, forms.ModelForm):
    """A person's file opened at the counter, with her consent recorded in the same step."""

    confirmed = forms.BooleanField(
        label="La personne a été informée de ses droits (consulter, télécharger, retirer à tout moment) et donne "
        "son accord",
    )

    class Meta:
        model = Person
        fields = ["first_name", "last_name", "birth_date", "email", "phone", "caf_number", "commune", "tenure", "rent"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, territory, organisation, **kwargs):
        super().__init__(*args, territory=territory, organisation=organisation, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["email"].help_text = "Pour lui envoyer le lien de son espace et l'informer de ses droits."

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        return born


class MemberForm(DsfrBaseForm):
    role = forms.ChoiceField(
        label="Rôle",
        choices=[(MemberRole.PARTNER, MemberRole.PARTNER.label), (MemberRole.CHILD, MemberRole.CHILD.label)],
    )
    first_name = forms.CharField(label="Prénom", max_length=100)
    birth_date = forms.DateField(label="Date de naissance", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_role(self):
        role = self.cleaned_data["role"]
        if role == MemberRole.PARTNER and self.person and self.person.members.filter(role=MemberRole.PARTNER).exists():
            raise ValidationError("Le foyer compte déjà un conjoint ou une conjointe.")
        return role


class ScenarioForm(DsfrBaseForm):
    """What people ask at the counter: « et si je perdais mon emploi, si je reprenais, si je déménageais… »."""

    KINDS = [
        ("perte_emploi", "Perte d'emploi"),
        ("nouvel_emploi", "Reprise d'un emploi"),
        ("temps_partiel", "Passage à temps partiel"),
        ("naissance", "Naissance"),
        ("separation", "Séparation"),
        ("demenagement", "Déménagement"),
        ("enfant_20_ans", "Un enfant atteint 20 ans"),
    ]
    kind = forms.ChoiceField(label="Changement à simuler", choices=KINDS, widget=forms.RadioSelect)
    start = MonthField(
        label="À partir du mois de",
        help_text="Format attendu : AAAA-MM, par exemple le mois prochain. Pour une naissance, le mois prévu.",
    )
    amount = forms.DecimalField(
        label="Montant mensuel net (€)",
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        help_text="Salaire du nouvel emploi ou du temps partiel, allocation chômage si elle est connue (sinon elle "
        "est estimée), pension alimentaire reçue après une séparation.",
    )
    hours = forms.DecimalField(
        label="Heures par semaine du nouvel emploi",
        required=False,
        min_value=1,
        max_value=48,
        max_digits=4,
        decimal_places=1,
    )
    contract_type = forms.ChoiceField(
        label="Contrat du nouvel emploi", required=False, choices=[("", "Non connu"), *ContractType.choices]
    )
    contract_months = forms.IntegerField(label="Durée du CDD (mois)", required=False, min_value=1, max_value=36)
    share = forms.IntegerField(
        label="Temps partiel (% du temps actuel)",
        required=False,
        min_value=10,
        max_value=99,
        help_text="Par exemple 80 pour un 4/5 ; le salaire est estimé à proportion si vous ne l'indiquez pas.",
    )
    commune = forms.ModelChoiceField(
        label="Nouvelle commune", required=False, queryset=Commune.objects.none(), empty_label="Commune inchangée"
    )
    rent = forms.DecimalField(
        label="Nouveau loyer mensuel hors charges (€)", required=False, min_value=0, max_digits=8, decimal_places=2
    )
    tenure = forms.ChoiceField(
        label="Nouveau statut d'occupation", required=False, choices=[("", "Inchangé"), *Tenure.choices]
    )
    child = forms.ChoiceField(label="Enfant qui atteint 20 ans", required=False, choices=[])

    GROUPS = (
        ("Le changement", ("kind", "start")),
        ("Revenus après le changement", ("amount",)),
        ("Pour une reprise d'emploi ou un temps partiel", ("hours", "contract_type", "contract_months", "share")),
        ("Pour un déménagement", ("commune", "rent", "tenure")),
        ("Pour un enfant qui atteint 20 ans", ("child",)),
    )

    def groups(self):
        return [(title, [self[n] for n in names]) for title, names in self.GROUPS]

    def __init__(self, *args, territory=None, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        if territory is not None:
            self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["child"].choices = [("", "—")] + [
            (c.first_name, f"{c.first_name}, naissance {french.on_date(c.birth_date)}") for c in children
        ]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == "nouvel_emploi":
            if not cleaned.get("amount"):
                self.add_error("amount", "Indiquez le salaire net mensuel du nouvel emploi.")
            if not cleaned.get("hours"):
                self.add_error("hours", "Indiquez le nombre d'heures par semaine du nouvel emploi.")
            if cleaned.get("contract_type") == "cdd" and not cleaned.get("contract_months"):
                self.add_error("contract_months", "Indiquez la durée du CDD en mois.")
        if kind == "temps_partiel" and cleaned.get("amount") is None and not cleaned.get("share"):
            self.add_error("share", "Indiquez le temps partiel en pourcentage, ou le nouveau salaire net.")
        if kind == "demenagement":
            if cleaned.get("rent") is None and cleaned.get("tenure") not in (Tenure.OWNER, Tenure.HOSTED):
                self.add_error("rent", "Indiquez le loyer du nouveau logement.")
            if not cleaned.get("commune") and cleaned.get("rent") is None:
                self.add_error("commune", "Indiquez la nouvelle commune ou le nouveau loyer.")
        if kind == "enfant_20_ans" and not cleaned.get("child"):
            self.add_error("child", "Choisissez l'enfant.")
        return cleaned

    def scenario(self):
        from .services import Scenario

        data = self.cleaned_data

        def number(name, scale=1):
            return float(data[name]) / scale if data.get(name) is not None else None

        commune = data.get("commune")
        return Scenario(
            data["kind"],
            data["start"],
            amount=number("amount"),
            hours=number("hours"),
            contract_type=data.get("contract_type") or "",
            contract_months=number("contract_months"),
            share=number("share", 100),
            birth_date=data["start"],
            depcom=commune.insee_code if commune else "",
            rent=number("rent"),
            tenure=data.get("tenure") or "",
            child=data.get("child") or "",
        )


class FollowUpForm(DsfrBaseForm):
    note = forms.CharField(label="Suite donnée", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReferralForm(DsfrBaseForm):
    to_organisation = forms.ModelChoiceField(
        label="Partenaire",
        queryset=Organisation.objects.none(),
        help_text="Seules les organisations que le consentement de la personne nomme sont proposées.",
    )
    reason = forms.CharField(label="Motif de l'orientation", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, person, exclude=None, **kwargs):
        from .referrals import partners_for

        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = partners_for(person, exclude=exclude)


class ReferralAnswerForm(DsfrBaseForm):
    decision = forms.ChoiceField(
        label="Réponse",
        choices=[("accepter", "Accepter"), ("refuser", "Refuser"), ("terminer", "Terminer")],
    )
    text = forms.CharField(
        label="Motif du refus ou suite donnée",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ImportForm(DsfrBaseForm):
    kind = forms.ChoiceField(label="Format", choices=ImportKind.choices)
    file = forms.FileField(
        label="Fichier", help_text="CSV séparé par des points-virgules ou JSON, en UTF-8 ; 20 Mo au plus."
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError("Le fichier dépasse 20 Mo.")
        return upload


class AccessRequestForm(DsfrBaseForm):
    email = forms.EmailField(label="Votre adresse électronique", help_text="Format attendu : nom@domaine.fr")


TENURE_CHOICES = Tenure.choices


# --- Corrections at the counter ------------------------------------------------------------------------


class IncomeCorrectionForm(DsfrBaseForm):
    """One kind of income for a run of months, as a pay slip or a France Travail statement shows it."""

    member = forms.ModelChoiceField(label="Membre du foyer", queryset=HouseholdMember.objects.none())
    kind = forms.ChoiceField(label="Nature du revenu", choices=IncomeKind.choices)
    first = MonthField(label="Du mois de")
    last = MonthField(label="Au mois de (inclus)")
    amount = forms.DecimalField(
        label="Montant de chaque mois (€)",
        min_value=0,
        max_value=100_000,
        max_digits=8,
        decimal_places=2,
        help_text="0 si ce revenu n'a pas été perçu ces mois-là. Nombre, virgule ou point pour les centimes.",
        error_messages={
            "invalid": "Indiquez un montant en euros, par exemple 780 ou 780,50.",
            "min_value": "Le montant ne peut pas être négatif.",
        },
    )

    def __init__(self, *args, members, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: f"{m.first_name} ({m.get_role_display().lower()})"

    def clean(self):
        from .counter import LONGEST_CORRECTION_MONTHS, months_between

        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last:
            if last < first:
                self.add_error("last", "Le dernier mois précède le premier.")
            elif last > self.today.replace(day=1):
                self.add_error(
                    "last", "Un revenu se corrige pour un mois commencé ; pour l'avenir, utilisez « Et si »."
                )
            elif len(months_between(first, last)) > LONGEST_CORRECTION_MONTHS:
                self.add_error("first", f"Corrigez au plus {LONGEST_CORRECTION_MONTHS} mois à la fois.")
            else:
                cleaned["months"] = months_between(first, last)
        return cleaned


class HousingForm(DsfrBaseForm, forms.ModelForm):
    class Meta:
        model = Person
        fields = ["tenure", "rent", "commune"]

    def __init__(self, *args, territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territories=territory).order_by("name")
        self.fields["rent"].help_text = "Hors charges ; laissez vide si la personne ne paie pas de loyer."

    def clean(self):
        cleaned = super().clean()
        renting = cleaned.get("tenure") in (Tenure.TENANT, Tenure.TENANT_FURNISHED, Tenure.SOCIAL_TENANT)
        if renting and cleaned.get("rent") is None:
            self.add_error("rent", "Indiquez le loyer mensuel d'un locataire.")
        return cleaned


class MemberFactsForm(DsfrBaseForm, forms.ModelForm):
    """Every fact of a member that a rule reads, grouped as the page shows them."""

    CHILD_ONLY = ("schooling", "childcare", "alternating_custody", "special_care", "aeeh_complement")
    ADULT_ONLY = (
        "job_seeker",
        "unemployment_start",
        "job_seeker_until",
        "daily_benefit",
        "ass_precondition",
        "job_start",
        "contract_type",
        "contract_months",
        "weekly_hours",
        "employment_restriction",
        "pregnant",
    )
    GROUPS = (
        ("Identité", ("first_name", "birth_date")),
        ("Emploi et France Travail", ("job_seeker", "unemployment_start", "job_seeker_until", "daily_benefit")),
        ("Allocation de solidarité spécifique", ("ass_precondition",)),
        ("Nouvel emploi", ("job_start", "contract_type", "contract_months", "weekly_hours")),
        ("Handicap et santé", ("disability_rate", "employment_restriction", "unable_to_work", "pregnant")),
        ("Enfant", ("schooling", "childcare", "alternating_custody", "special_care", "aeeh_complement")),
        ("Études", ("student",)),
    )

    class Meta:
        model = HouseholdMember
        fields = list(MEMBER_FACTS)  # the counter's own list: what it may correct is what the form shows
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("birth_date", "unemployment_start", "job_seeker_until", "job_start")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.role == MemberRole.APPLICANT:
            # The applicant's name and birth date are her identity, corrected with it.
            for name in ("first_name", "birth_date"):
                self.fields[name].disabled = True
        hidden = self.ADULT_ONLY if self.instance.role == MemberRole.CHILD else self.CHILD_ONLY
        for name in hidden:
            del self.fields[name]

    def groups(self):
        return [(title, [self[n] for n in names if n in self.fields]) for title, names in self.GROUPS]

    def clean_birth_date(self):
        born = self.cleaned_data["birth_date"]
        if born and born > timezone.localdate():
            raise ValidationError("La date de naissance ne peut pas être dans le futur.")
        return born

    def clean(self):
        cleaned = super().clean()
        start, until = cleaned.get("unemployment_start"), cleaned.get("job_seeker_until")
        if start and until and until < start:
            self.add_error("job_seeker_until", "La fin d'inscription précède son début.")
        if start and cleaned.get("job_seeker") is False:
            self.add_error("job_seeker", "Une date d'inscription est donnée : la personne est inscrite.")
        if start and cleaned.get("job_seeker") is None:
            cleaned["job_seeker"] = True
        if cleaned.get("contract_type") == "cdd" and cleaned.get("job_start") and not cleaned.get("contract_months"):
            self.add_error("contract_months", "Indiquez la durée du CDD en mois.")
        return cleaned

    def facts(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if not self.fields[name].disabled}


class SmsCodeRequestForm(DsfrBaseForm):
    phone = forms.CharField(
        label="Votre numéro de téléphone portable",
        max_length=20,
        help_text="Format attendu : 06 12 34 56 78",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self):
        from carteblanche.core.messaging import is_mobile, national_phone

        phone = self.cleaned_data["phone"]
        if not national_phone(phone):
            raise ValidationError(
                "Saisissez un numéro de téléphone français à 10 chiffres, par exemple 06 12 34 56 78."
            )
        if not is_mobile(phone):
            raise ValidationError("Un SMS ne peut être reçu que sur un portable (numéro en 06 ou 07).")
        return national_phone(phone)


class SmsCodeForm(DsfrBaseForm):
    code = forms.CharField(
        label="Code reçu par SMS",
        max_length=6,
        min_length=6,
        help_text="6 chiffres, valable 10 minutes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        error_messages={"min_length": "Le code a 6 chiffres.", "max_length": "Le code a 6 chiffres."},
    )

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise ValidationError("Le code n'a que des chiffres.")
        return code


class PartnerConsentForm(ConsentForm):
    """The consent a partner gives, at the counter, for her own records (her payroll, her France Travail file)."""

    confirmed = forms.BooleanField(
        label=(
            "En présence du conjoint ou de la conjointe : ses droits lui ont été expliqués et son accord est donné "
            "en personne"
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["categories"]
        self.fields["organisations"].label = "Organisations autorisées à transmettre et consulter ses relevés"


class FranceConnectFileForm(ConsentForm):
    """A resident FranceConnect identified, who has no file yet, opens one herself: her identity comes from
    FranceConnect (not typed), she says where she lives and what she agrees to share."""

    commune = forms.ModelChoiceField(
        label="Votre commune",
        queryset=Commune.objects.none(),
        error_messages={"required": "Choisissez votre commune.", "invalid_choice": "Choisissez votre commune."},
    )
    confirmed = forms.BooleanField(
        label="J'ai lu ce que deviennent mes données (les consulter, les télécharger, retirer mon accord à tout "
        "moment) et je demande l'ouverture de mon dossier",
        error_messages={"required": "Cochez cette case pour ouvrir votre dossier."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, territory=None, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(territories__isnull=False).distinct().order_by("name")
        self.fields["organisations"].queryset = Organisation.objects.order_by("territory__name", "name")

    def clean(self):
        cleaned = super().clean()
        commune = cleaned.get("commune")
        if commune is not None:
            territories = set(commune.territories.values_list("pk", flat=True))
            outside = [o.name for o in cleaned.get("organisations") or [] if o.territory_id not in territories]
            if outside:
                self.add_error(
                    "organisations", f"Ces organisations ne servent pas votre commune : {', '.join(outside)}."
                )
        return cleaned
