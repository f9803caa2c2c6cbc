"""What each right is, which months it looks at, and how to claim it: plain French for the person and the agent."""

import datetime
from dataclasses import dataclass

from carteblanche.core import french

from .engine import Computed, month_add, month_label, of_month
from .enums import Benefit


@dataclass(frozen=True)
class RightInfo:
    organisation: str
    what: str
    procedure: str
    link: str


CATALOGUE = {
    Benefit.RSA: RightInfo(
        "CAF (ou MSA)",
        "Un revenu minimum pour les personnes sans ressources ou aux ressources faibles, versé chaque mois.",
        "Faire la demande en ligne sur caf.fr (rubrique « Faire une demande de prestation ») ou au guichet France "
        "services, avec les justificatifs de ressources des 3 derniers mois.",
        "https://www.service-public.fr/particuliers/vosdroits/N19775",
    ),
    Benefit.PPA: RightInfo(
        "CAF (ou MSA)",
        "Un complément de revenus pour les personnes qui travaillent et gagnent modestement.",
        "Faire la demande en ligne sur caf.fr ; elle est ensuite renouvelée par une déclaration trimestrielle.",
        "https://www.service-public.fr/particuliers/vosdroits/F2882",
    ),
    Benefit.HOUSING: RightInfo(
        "CAF (ou MSA)",
        "Une aide qui réduit le loyer (APL, ALF ou ALS selon le logement et le foyer).",
        "Faire la demande en ligne sur caf.fr dès l'entrée dans le logement, avec le bail et l'attestation de loyer.",
        "https://www.service-public.fr/particuliers/vosdroits/N20360",
    ),
    Benefit.AF: RightInfo(
        "CAF (ou MSA)",
        "Versées dès le 2e enfant à charge de moins de 20 ans ; le montant dépend des ressources.",
        "Souvent automatiques pour les allocataires ; sinon, déclarer la naissance ou l'arrivée de l'enfant "
        "sur caf.fr.",
        "https://www.service-public.fr/particuliers/vosdroits/F13213",
    ),
    Benefit.ASF: RightInfo(
        "CAF (ou MSA)",
        "Pour le parent qui élève seul un enfant privé de l'aide de l'autre parent (pension non versée ou absente).",
        "Faire la demande sur caf.fr ; la CAF peut aussi aider à recouvrer la pension alimentaire (Aripa).",
        "https://www.service-public.fr/particuliers/vosdroits/F815",
    ),
    Benefit.CF: RightInfo(
        "CAF (ou MSA)",
        "Pour les familles d'au moins 3 enfants de 3 à 21 ans, sous conditions de ressources.",
        "Faire la demande sur caf.fr avec la déclaration de situation.",
        "https://www.service-public.fr/particuliers/vosdroits/F13214",
    ),
    Benefit.PAJE: RightInfo(
        "CAF (ou MSA)",
        "L'allocation de base aide à faire face aux dépenses d'un enfant de moins de 3 ans.",
        "Déclarer la grossesse à la CPAM et à la CAF avant la fin du 3e mois ; la demande se fait sur caf.fr.",
        "https://www.service-public.fr/particuliers/vosdroits/F2552",
    ),
    Benefit.CSS_FREE: RightInfo(
        "Assurance maladie (CPAM)",
        "Une complémentaire santé qui ne coûte rien : plus rien à payer chez le médecin, à l'hôpital, à la pharmacie.",
        "Demander en ligne sur ameli.fr (compte ameli) ou avec le formulaire S3711 à la CPAM ou en France services. "
        "Pour un foyer au RSA, elle est accordée sans examen des ressources.",
        "https://www.complementaire-sante-solidaire.gouv.fr",
    ),
    Benefit.CSS_PAID: RightInfo(
        "Assurance maladie (CPAM)",
        "Une complémentaire santé pour moins de 1 € par jour et par personne ; le montant indiqué est la "
        "participation mensuelle du foyer.",
        "Demander en ligne sur ameli.fr ou avec le formulaire S3711 à la CPAM ou en France services.",
        "https://www.complementaire-sante-solidaire.gouv.fr",
    ),
    Benefit.ARS: RightInfo(
        "CAF (ou MSA)",
        "Versée en août pour chaque enfant scolarisé de 6 à 18 ans, sous conditions de ressources.",
        "Automatique pour les allocataires ; pour un enfant de 16 à 18 ans, attester de sa scolarité sur caf.fr.",
        "https://www.service-public.fr/particuliers/vosdroits/F1878",
    ),
    Benefit.ENERGY: RightInfo(
        "Agence de services et de paiement (ASP)",
        "Une aide annuelle pour payer les factures d'énergie du logement.",
        "Envoyé automatiquement au printemps d'après la déclaration de revenus : la faire chaque année, même sans "
        "revenus. Sinon, le réclamer sur chequeenergie.gouv.fr.",
        "https://www.chequeenergie.gouv.fr",
    ),
    Benefit.AAH: RightInfo(
        "MDPH puis CAF (ou MSA)",
        "Un revenu minimum pour les personnes en situation de handicap.",
        "Déposer le formulaire de demande à la MDPH du Lot (Cerfa 15692) avec un certificat médical ; la CAF verse "
        "ensuite l'allocation.",
        "https://www.service-public.fr/particuliers/vosdroits/F12242",
    ),
    Benefit.ASPA: RightInfo(
        "Caisse de retraite (Carsat, MSA)",
        "Un minimum de ressources pour les personnes de 65 ans ou plus (62 ans en cas d'inaptitude au travail), "
        "versé chaque mois en complément des retraites.",
        "Demander le formulaire à sa caisse de retraite (ou au guichet France services) et le renvoyer avec les "
        "justificatifs de ressources des 3 derniers mois.",
        "https://www.service-public.fr/particuliers/vosdroits/F16871",
    ),
    Benefit.ASS: RightInfo(
        "France Travail",
        "Une allocation pour les demandeurs d'emploi qui n'ont plus droit à l'allocation chômage et ont travaillé "
        "au moins 5 ans dans les 10 ans avant la fin de leur dernier contrat.",
        "France Travail envoie le formulaire à la fin des droits à l'allocation chômage ; sinon, le demander à son "
        "conseiller ou au guichet France services.",
        "https://www.service-public.fr/particuliers/vosdroits/F12484",
    ),
    Benefit.AEEH: RightInfo(
        "MDPH (versée par la CAF)",
        "Une allocation pour l'éducation et les soins d'un enfant handicapé de moins de 20 ans, avec un "
        "complément selon le coût du handicap.",
        "Déposer le formulaire de demande à la MDPH du Lot, avec le certificat médical ; le guichet France "
        "services aide à le remplir.",
        "https://www.service-public.fr/particuliers/vosdroits/F14809",
    ),
    Benefit.BOURSE_COLLEGE: RightInfo(
        "Collège de l'enfant (Éducation nationale)",
        "Une aide aux frais de scolarité des collégiens, selon les ressources et le nombre d'enfants, versée par "
        "trimestre.",
        "Faire la demande en ligne sur educonnect (Scolarité services) ou auprès du secrétariat du collège, à la "
        "rentrée.",
        "https://www.service-public.fr/particuliers/vosdroits/F984",
    ),
    Benefit.BOURSE_LYCEE: RightInfo(
        "Lycée de l'enfant (Éducation nationale)",
        "Une aide aux frais de scolarité des lycéens, selon les ressources et les enfants à charge, versée par "
        "trimestre.",
        "Faire la demande en ligne sur educonnect (Scolarité services) ou auprès du lycée, au printemps pour la "
        "rentrée suivante.",
        "https://www.service-public.fr/particuliers/vosdroits/F616",
    ),
    Benefit.AGEPI: RightInfo(
        "France Travail",
        "Une aide versée une fois au parent qui élève seul un enfant de moins de 10 ans et reprend un emploi (CDI, "
        "ou CDD ou intérim d'au moins 3 mois) ou une formation, pour faire garder son enfant.",
        "La demander à France Travail (espace personnel ou conseiller) au plus tard un mois après le début de "
        "l'emploi ; le guichet France services aide à la faire.",
        "https://www.service-public.fr/particuliers/vosdroits/F1814",
    ),
    Benefit.CMG: RightInfo(
        "CAF (ou MSA)",
        "Une aide chaque mois aux parents qui font garder un enfant de moins de 6 ans par une assistante maternelle, "
        "une garde à domicile ou une micro-crèche, pour travailler.",
        "Faire la demande sur caf.fr (ou msa.fr) ; les heures de garde se déclarent ensuite chaque mois sur "
        "Pajemploi.",
        "https://www.service-public.fr/particuliers/vosdroits/F345",
    ),
}


def basis(benefit: str, month: datetime.date) -> str:
    """Which months the rule looks at, said in plain French."""
    n_2 = month.year - 2
    if benefit in (Benefit.RSA, Benefit.PPA):
        start, end = month_add(month, -3), month_add(month, -1)
        return f"Calculé sur les ressources {of_month(start)} à {month_label(end)} (les 3 mois précédents)."
    if benefit == Benefit.HOUSING:
        return (
            f"Calculé sur les revenus {of_month(month_add(month, -13))} à {month_label(month_add(month, -2))} "
            "(12 mois glissants se terminant 2 mois avant), le loyer et la commune."
        )
    if benefit in (Benefit.AF, Benefit.ASF, Benefit.CF, Benefit.PAJE):
        return f"Calculé sur les revenus de l'année {n_2} (année N-2) et les enfants à charge."
    if benefit == Benefit.ARS:
        rentree = month.year if month.month <= 8 else month.year + 1
        return f"Pour la rentrée {rentree}, sur les revenus de l'année {rentree - 2}."
    if benefit in (Benefit.CSS_FREE, Benefit.CSS_PAID):
        start, end = month_add(month, -12), month_add(month, -1)
        return f"Calculé sur les ressources {of_month(start)} à {month_label(end)} (les 12 mois précédents)."
    if benefit == Benefit.ENERGY:
        return f"Calculé sur le revenu fiscal de référence {n_2} et la composition du foyer."
    if benefit == Benefit.AAH:
        return "Calculé sur le taux d'incapacité reconnu et les ressources du foyer."
    if benefit in (Benefit.ASPA, Benefit.ASS):
        start, end = month_add(month, -3), month_add(month, -1)
        return f"Calculé sur les ressources {of_month(start)} à {month_label(end)} (les 3 mois précédents)."
    if benefit == Benefit.AEEH:
        return "Calculé sur le taux d'incapacité de l'enfant reconnu par la MDPH et le complément accordé."
    if benefit in (Benefit.BOURSE_COLLEGE, Benefit.BOURSE_LYCEE):
        return f"Pour l'année scolaire, sur le revenu fiscal de référence {month.year - 2} et les enfants à charge."
    if benefit == Benefit.AGEPI:
        return "Calculé sur le nouvel emploi (contrat, durée, heures par semaine) et les enfants de moins de 10 ans."
    if benefit == Benefit.CMG:
        return (
            f"Calculé sur les revenus de l'année {n_2} (année N-2), le mode de garde et l'âge des enfants de moins de "
            "6 ans."
        )
    return ""


_FIGURES_FOR = {
    Benefit.RSA: ["rsa_base_ressources", "rsa_socle"],
    Benefit.PPA: ["ppa_base_ressources"],
    Benefit.HOUSING: ["aide_logement_base_ressources"],
    Benefit.AF: ["prestations_familiales_base_ressources"],
    Benefit.CF: ["prestations_familiales_base_ressources"],
    Benefit.PAJE: ["prestations_familiales_base_ressources"],
    Benefit.ARS: [],
    Benefit.CSS_FREE: ["css_cmu_base_ressources", "cmu_c_plafond"],
    Benefit.CSS_PAID: ["css_cmu_base_ressources", "acs_plafond"],
    Benefit.CMG: ["prestations_familiales_base_ressources"],
}


def describe(
    computed: Computed, month: datetime.date, received: dict[str, float], received_known: bool = True
) -> list[dict]:
    """One plain dict per right (stored as JSON in an assessment), probable rights first, biggest first."""
    from .engine import _FIGURES, is_once, is_yearly

    rows = []
    for benefit in Benefit:
        amount = computed.amounts.get(benefit)
        info = CATALOGUE[benefit]
        yearly = is_yearly(benefit)
        evaluable = amount is not None
        eligible = bool(evaluable and amount > 0)
        cover = benefit in (Benefit.CSS_FREE, Benefit.CSS_PAID)
        if benefit == Benefit.CSS_FREE:
            eligible = bool(amount)
        got = received.get(benefit)
        already = got is not None and (got > 0 or benefit in (Benefit.CSS_FREE, Benefit.CSS_PAID))
        if not received_known:
            already = None
        if not evaluable:
            missing = computed.why_not.get(benefit) or "des informations"
            verdict = f"Non évalué : il manque {missing} (voir « Informations à demander »)."
        elif benefit == Benefit.CSS_FREE:
            verdict = (
                "Droit probable : gratuite pour tout le foyer."
                if eligible
                else "Ressources au-dessus du plafond de la version gratuite."
            )
        elif benefit == Benefit.CSS_PAID and eligible:
            # A cover the household pays for, not an amount it receives (and never counted in what it could get).
            verdict = (
                f"Droit probable : une complémentaire santé pour une participation d'environ "
                f"{french.euros(amount, 0)} par mois, à payer par le foyer."
            )
        elif eligible:
            per = "en une fois" if is_once(benefit) else "par an" if yearly else "par mois"
            verdict = f"Droit probable : environ {french.euros(amount, 0)} {per}."
        else:
            verdict = "Pas de droit probable avec les informations connues."
        if eligible and already:
            verdict += " Déjà perçu."
        elif eligible and already is None:
            verdict += " Déjà perçu ou non : inconnu (prestations perçues non partagées)."
        elif eligible:
            verdict += " Non perçu à ce jour : la démarche est indiquée."
        rows.append(
            {
                "benefit": str(benefit),
                "label": benefit.label,
                "evaluable": evaluable,
                "eligible": eligible,
                "amount": 0.0 if benefit == Benefit.CSS_FREE and evaluable else amount,
                "yearly": yearly,
                "once": is_once(benefit),
                # Health cover is a right, not a payment: it adds nothing to the amounts not claimed.
                "yearly_value": 0.0 if cover else round((amount or 0) * (1 if yearly else 12), 2),
                "cover": cover,
                "received": already if already is None else bool(already),
                "received_amount": got,
                "verdict": verdict,
                "what": info.what,
                "basis": basis(benefit, month),
                "organisation": info.organisation,
                "procedure": info.procedure,
                "link": info.link,
                "figures": [
                    {"label": _FIGURES[name], "value": computed.figures[name]}
                    for name in (_FIGURES_FOR.get(benefit, []) if evaluable else [])
                ],
            }
        )
    rows.sort(key=lambda r: (not r["eligible"], bool(r["received"]), -r["yearly_value"], r["label"]))
    return rows
