"""The demo operation: Carte blanche in the Cahors living area, 2018, with field notes written for the demo
(inspired by the public account of the operation; no real person's words), a codebook and irritants."""

import datetime

from carteblanche.operations.enums import PhaseStatus
from carteblanche.operations.models import Operation
from carteblanche.operations.services import operation_create
from carteblanche.territories.models import Commune, Organisation, ServiceSite

from . import services
from .enums import EvidenceKind, Frequency, IrritantSource, IrritantStatus, Severity, VisitKind
from .models import FieldVisit, PriorityExpectation, VisitParticipants
from .themes import run_analysis

SLUG = "carte-blanche-cahors-2018"

VISITS = [
    {
        "kind": VisitKind.INTERVIEW,
        "title": "Entretien collectif avec les agents d'accueil de la CAF",
        "date": datetime.date(2018, 1, 16),
        "commune": "46042",
        "participants": {"agents": 6, "encadrants": 1},
        "organisations": ["CAF du Lot"],
        "notes": (
            "Les agents décrivent des usagers qui arrivent avec un courrier qu'ils ne comprennent pas.\n"
            "Beaucoup de personnes viennent de communes rurales sans voiture : le bus ne passe qu'une fois par jour.\n"
            "Les démarches en ligne bloquent les personnes âgées, qui n'ont pas d'ordinateur ni d'adresse e-mail.\n"
            "Une mère seule a perdu ses droits parce qu'elle n'avait pas déclaré un changement de situation à temps.\n"
            "Les agents aimeraient voir la situation complète d'une personne sans la renvoyer d'un guichet à l'autre."
        ),
    },
    {
        "kind": VisitKind.IMMERSION,
        "title": "Immersion à l'espace France services de Catus",
        "date": datetime.date(2018, 3, 6),
        "commune": "46064",
        "participants": {"agents": 2, "usagers": 14, "elus": 1},
        "organisations": ["Grand Cahors (communauté d'agglomération)"],
        "notes": (
            "Quatorze personnes sont venues dans la matinée, la plupart à pied depuis le bourg.\n"
            "Un agriculteur ne savait pas qu'il pouvait demander la prime d'activité.\n"
            "Une dame de 82 ans attend depuis trois mois une réponse pour sa retraite de réversion.\n"
            "Le maire explique que la garde d'enfants ferme à 18 heures alors que les emplois d'aide à domicile "
            "finissent plus tard.\n"
            "Plusieurs personnes disent qu'elles ne savent jamais à quel service s'adresser."
        ),
    },
    {
        "kind": VisitKind.INTERVIEW,
        "title": "Entretien collectif avec des usagers de la Mission locale",
        "date": datetime.date(2018, 2, 2),
        "commune": "46042",
        "participants": {"usagers": 9, "agents": 2},
        "organisations": ["Mission locale du Lot"],
        "notes": (
            "Les jeunes sans permis ne peuvent pas accepter un emploi à Cahors s'ils habitent à vingt kilomètres.\n"
            "Le covoiturage existe mais personne ne sait comment trouver un conducteur.\n"
            "Les rendez-vous sont donnés par téléphone à des heures où ils travaillent."
        ),
    },
]

CODES = {
    "Mobilité": ["Transport collectif", "Permis et voiture"],
    "Accès aux droits": ["Non-recours", "Ruptures de droits"],
    "Relation au service": ["Démarches en ligne", "Orientation", "Horaires"],
    "Vie familiale": ["Garde d'enfants"],
}

EXCERPTS = [
    (0, "Beaucoup de personnes viennent de communes rurales sans voiture", ["Transport collectif"]),
    (0, "Les démarches en ligne bloquent les personnes âgées", ["Démarches en ligne"]),
    (0, "Une mère seule a perdu ses droits", ["Ruptures de droits"]),
    (1, "Un agriculteur ne savait pas qu'il pouvait demander la prime d'activité", ["Non-recours"]),
    (1, "la garde d'enfants ferme à 18 heures", ["Garde d'enfants", "Horaires"]),
    (1, "Plusieurs personnes disent qu'elles ne savent jamais à quel service s'adresser", ["Orientation"]),
    (2, "Les jeunes sans permis ne peuvent pas accepter un emploi à Cahors", ["Permis et voiture"]),
]

IRRITANTS = [
    (
        "Pas de transport pour aller aux rendez-vous à Cahors",
        "Sans voiture, impossible de se rendre à la CAF ou à "
        "France Travail depuis les villages : un seul bus par jour.",
        ["46064", "46156"],
        Severity.BLOCKING,
        Frequency.VERY_OFTEN,
    ),
    (
        "Les démarches en ligne excluent les personnes âgées",
        "Sans ordinateur ni adresse e-mail, les personnes âgées ne peuvent plus faire leurs démarches seules.",
        ["46042"],
        Severity.PENALISING,
        Frequency.OFTEN,
    ),
    (
        "Perte de droits après un changement de situation non déclaré à temps",
        "Une séparation ou une perte d'emploi non déclarée entraîne des indus puis des ruptures de droits.",
        ["46042"],
        Severity.CRITICAL,
        Frequency.OFTEN,
    ),
    (
        "On ne sait pas à quel service s'adresser",
        "Les usagers sont renvoyés d'un guichet à l'autre.",
        ["46064"],
        Severity.PENALISING,
        Frequency.VERY_OFTEN,
    ),
    (
        "Garde d'enfants fermée après 18 h",
        "Les horaires des crèches ne collent pas avec ceux des emplois d'aide à domicile.",
        ["46042", "46064"],
        Severity.BLOCKING,
        Frequency.SOMETIMES,
    ),
    (
        "Des droits ignorés : prime d'activité, complémentaire santé solidaire",
        "Des personnes éligibles ne demandent pas les aides faute de les connaître.",
        ["46064"],
        Severity.PENALISING,
        Frequency.OFTEN,
    ),
    (
        "Sans permis, pas d'emploi",
        "Les jeunes sans permis refusent des emplois à vingt kilomètres.",
        ["46042"],
        Severity.BLOCKING,
        Frequency.OFTEN,
    ),
    (
        "Rendez-vous donnés aux heures de travail",
        "Les rendez-vous téléphoniques tombent pendant les heures de travail.",
        [],
        Severity.MINOR,
        Frequency.SOMETIMES,
    ),
    (
        "Pas de réseau internet dans les villages",
        "Dans plusieurs hameaux, ni ADSL ni 4G : impossible d'envoyer un justificatif en ligne.",
        ["46064"],
        Severity.PENALISING,
        Frequency.OFTEN,
    ),
    (
        "Les mêmes justificatifs demandés par chaque administration",
        "Il faut fournir plusieurs fois les mêmes papiers à la CAF, à la CPAM et au département.",
        [],
        Severity.PENALISING,
        Frequency.VERY_OFTEN,
    ),
    (
        "Horaires d'ouverture des guichets trop courts",
        "Les accueils ferment l'après-midi et le samedi, quand les personnes qui travaillent pourraient venir.",
        ["46042"],
        Severity.PENALISING,
        Frequency.OFTEN,
    ),
    (
        "Pas de solution de garde pour un entretien d'embauche",
        "Une mère seule ne peut pas se rendre à un entretien faute de garde pour l'après-midi.",
        ["46042"],
        Severity.BLOCKING,
        Frequency.SOMETIMES,
    ),
    (
        "Le car scolaire ne prend pas les adultes",
        "Le seul car qui passe dans la commune est réservé aux élèves.",
        ["46156"],
        Severity.PENALISING,
        Frequency.OFTEN,
    ),
    (
        "Une aide demandée, aucune nouvelle pendant des mois",
        "Sans accusé de réception, on ne sait pas si le dossier est complet.",
        [],
        Severity.PENALISING,
        Frequency.OFTEN,
    ),
    (
        "Les courriers administratifs sont incompréhensibles",
        "Les personnes ne comprennent pas ce qu'on leur demande et n'osent pas appeler.",
        [],
        Severity.MINOR,
        Frequency.VERY_OFTEN,
    ),
]

PRIORITIES = [
    ("Mobilité et accès aux services", "Pouvoir se rendre aux services, ou que les services viennent à soi."),
    ("Des réponses adaptées à la situation de chacun", "Un accueil qui voit la personne entière."),
    ("Les droits des plus vulnérables", "Que personne ne perde ou n'ignore ses droits."),
]


def load_demo_operation(territory, team_member=None) -> Operation | None:
    if Operation.objects.filter(slug=SLUG).exists():
        return None
    operation = operation_create(
        territory=territory,
        name="Carte blanche — bassin de vie de Cahors",
        slug=SLUG,
        start_date=datetime.date(2018, 1, 8),
        public_form_open=True,
        description=(
            "L'État et les collectivités du bassin de vie de Cahors se donnent carte blanche pour réinventer "
            "l'accès aux services publics avec les habitants et les agents."
        ),
    )
    calendar = [
        (datetime.date(2018, 1, 8), datetime.date(2018, 2, 28), PhaseStatus.DONE),
        (datetime.date(2018, 3, 1), datetime.date(2018, 3, 31), PhaseStatus.DONE),
        (datetime.date(2018, 4, 1), datetime.date(2018, 12, 31), PhaseStatus.DONE),
        (datetime.date(2019, 1, 1), datetime.date(2019, 6, 30), PhaseStatus.DONE),
        (datetime.date(2019, 7, 1), None, PhaseStatus.ONGOING),
    ]
    for phase, (start, end, status) in zip(operation.phases.order_by("order"), calendar, strict=True):
        phase.start_date, phase.end_date, phase.status = start, end, status
        phase.save()
    codes = {}
    for parent_name, children in CODES.items():
        parent = services.code_create(operation=operation, name=parent_name)
        for child in children:
            codes[child] = services.code_create(operation=operation, name=child, parent=parent)
    visits = []
    for data in VISITS:
        visit = FieldVisit.objects.create(
            operation=operation,
            kind=data["kind"],
            title=data["title"],
            date=data["date"],
            commune=Commune.objects.get(insee_code=data["commune"]),
            notes=data["notes"],
            note_taker=team_member,
            created_by=team_member,
        )
        visit.organisations.set(Organisation.objects.filter(territory=territory, name__in=data["organisations"]))
        for kind, count in data["participants"].items():
            VisitParticipants.objects.create(visit=visit, kind=kind, count=count)
        visits.append(visit)
    excerpts = []
    for index, passage, code_names in EXCERPTS:
        visit = visits[index]
        start = visit.notes.index(passage)
        excerpts.append(
            services.excerpt_create(
                visit=visit,
                start=start,
                end=start + len(passage),
                text=passage,
                codes=[codes[name] for name in code_names],
                actor=team_member,
            )
        )
    irritants = []
    for title, description, insee, severity, frequency in IRRITANTS:
        irritants.append(
            services.irritant_create(
                operation=operation,
                actor=team_member,
                source=IrritantSource.TEAM,
                title=title,
                description=description,
                severity=severity,
                frequency=frequency,
                status=IrritantStatus.QUALIFIED,
                communes=list(Commune.objects.filter(insee_code__in=insee)),
            )
        )
    links = {0: [0, 6], 1: [1], 2: [2], 3: [5], 4: [4], 5: [3]}
    for irritant_index, excerpt_indexes in links.items():
        services.excerpts_to_irritant(
            excerpts=[excerpts[i] for i in excerpt_indexes], actor=team_member, irritant=irritants[irritant_index]
        )
    services.evidence_add(
        irritants[0],
        kind=EvidenceKind.FIGURE,
        actor=team_member,
        figure_value=1,
        figure_unit="bus par jour",
        text="Desserte de Catus par la ligne régulière",
        source_label="Fiche horaire du réseau, 2018",
    )
    services.report_submit(
        operation=operation,
        what_happened="Je n'ai pas de voiture et le bus ne passe pas le jour de mon rendez-vous à la CAF.",
        commune=Commune.objects.get(insee_code="46156"),
        service="CAF",
    )
    catus = ServiceSite.objects.filter(commune__insee_code="46064").first()
    if catus:
        FieldVisit.objects.filter(operation=operation, title__startswith="Immersion").update(site=catus)
    for order, (title, description) in enumerate(PRIORITIES, start=1):
        PriorityExpectation.objects.create(operation=operation, title=title, description=description, order=order)
    _demo_codesign(operation, irritants, team_member)
    _demo_hackathon(operation)
    # The themes the team would have found by running the analysis on these irritants (real encoder).
    run_analysis(operation)
    operation.published = True
    operation.save(update_fields=["published"])
    return operation


def _demo_hackathon(operation) -> None:
    """The mobility hackathon of the 2018 operation: a challenge, three teams, the grid, the demo's juror."""
    from carteblanche.accounts.models import User
    from carteblanche.codesign.models import Challenge, Hackathon, HackathonTeam

    hackathon = Hackathon.objects.create(
        operation=operation,
        title="Hackathon « Se déplacer sans voiture dans le bassin de Cahors »",
        date=datetime.date(2018, 6, 16),
        start_time=datetime.time(9, 30),
        place="Cahors, espace Clément-Marot",
        laureates=2,
    )
    for name, weight in (("Utilité pour les usagers", 3), ("Faisabilité", 2), ("Originalité", 1)):
        hackathon.criteria.create(name=name, weight=weight)
    challenge = Challenge.objects.create(
        hackathon=hackathon,
        title="Aller à un rendez-vous sans voiture",
        description="Un rendez-vous de santé ou d'emploi à Cahors depuis une commune sans ligne régulière.",
    )
    teams = [
        ("Pouce lotois", "Association des maires ruraux", "Arrêts sur le pouce balisés, inscrits et sécurisés."),
        ("Allô trajet", "Centre social de Catus", "Une permanence téléphonique de transport solidaire."),
        ("Bus du marché", "Commune de Lalbenque", "Un bus à la demande les jours de marché et de permanence."),
    ]
    for order, (name, holder, project) in enumerate(teams, start=1):
        HackathonTeam.objects.create(
            hackathon=hackathon, challenge=challenge, name=name, holder=holder, project=project, pitch_order=order
        )
    juror = User.objects.filter(email="jury@demo.carteblanche.fr").first()
    if juror is not None:
        hackathon.jurors.add(juror)


def _demo_codesign(operation, irritants, team_member) -> None:
    """Sarah, grounded in the irritants heard, and the workshop prepared for her."""
    from carteblanche.codesign import services as codesign

    sarah = codesign.persona_from_template(operation=operation, template="parent_isole", actor=team_member)
    sarah.irritants.set([irritants[0], irritants[2], irritants[4], irritants[5]])
    sarah.communes.set(Commune.objects.filter(territories=operation.territory, population__lt=1000))
    codesign.workshop_create(
        operation=operation,
        title="Atelier « Sarah » : anticiper les droits, garder les enfants",
        date=datetime.date(2018, 3, 20),
        place="Salle des fêtes de Catus",
        commune=Commune.objects.get(insee_code="46064"),
        actor=team_member,
    ).personas.add(sarah)
    _demo_experiments(operation, sarah, irritants, team_member)


# The solutions of Cahors 2018, as the workshops kept them (hypotheses written for the demo).
CAHORS_IDEAS = [
    (
        "Un bus itinérant des services publics",
        "le bus France services s'arrête chaque semaine dans les bourgs",
        "les habitants sans voiture font leurs démarches sans aller à Cahors",
        0,
    ),
    (
        "Une plateforme de mobilité solidaire",
        "des conducteurs bénévoles emmènent ceux qui n'ont pas de voiture",
        "moins de rendez-vous manqués faute de transport",
        0,
    ),
    (
        "Anticiper les droits grâce aux données partagées, avec consentement",
        "les services partagent, avec l'accord des personnes, ce qu'ils savent déjà",
        "chacun apprend à temps les droits qu'il n'a pas demandés",
        5,
    ),
    (
        "Une garde d'enfants en horaires décalés",
        "une crèche ouvre jusqu'à 20 h",
        "des parents seuls acceptent des emplois du soir",
        4,
    ),
    (
        "Une cabine de téléconsultation",
        "une cabine de téléconsultation est installée en mairie",
        "les habitants éloignés voient un médecin sans attendre des semaines",
        None,
    ),
    (
        "Un accompagnement vers l'emploi",
        "un coach suit chaque jeune sans permis vers l'emploi et le permis",
        "plus de jeunes acceptent un emploi à vingt kilomètres",
        6,
    ),
    (
        "Des vigies solidaires",
        "des voisins volontaires repèrent les personnes isolées",
        "les personnes isolées sont orientées avant la rupture",
        3,
    ),
    (
        "Un agent polyvalent augmenté",
        "l'agent France services voit, avec l'accord de la personne, toute sa situation",
        "la personne n'est plus renvoyée d'un guichet à l'autre",
        3,
    ),
]


def _demo_experiments(operation, sarah, irritants, team_member) -> None:
    from carteblanche.codesign import services as codesign
    from carteblanche.codesign.models import Idea

    workshop = codesign.workshop_create(
        operation=operation,
        title="Atelier de co-construction du 6 mars 2018",
        date=datetime.date(2018, 3, 6),
        place="Cahors",
        actor=team_member,
    )
    workshop.personas.add(sarah)
    for title, condition, effect, irritant_index in CAHORS_IDEAS:
        idea = Idea.objects.create(workshop=workshop, text=title, kept=True, persona=sarah)
        if irritant_index is not None:
            idea.irritants.add(irritants[irritant_index])
        experiment = codesign.experiment_from_idea(idea=idea, actor=team_member)
        experiment.hypothesis_if, experiment.hypothesis_then = condition, effect
        experiment.save(update_fields=["hypothesis_if", "hypothesis_then"])
    workshop.status = "clos"
    workshop.minutes = "Huit idées retenues, chacune reliée à Sarah et aux irritants auxquels elle répond."
    workshop.save(update_fields=["status", "minutes"])
