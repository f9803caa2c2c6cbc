"""An agent who logs in with ProConnect: who she is on the platform.

She is found by her professional e-mail — never by ``sub``, which differs from one identity provider to another.
An agent the platform does not know yet gets an account with no role: she is told whom to ask, and the project team
grants the role. The SIRET ProConnect gives (her establishment) must be the one of the organisation her role is in,
when that organisation's SIRET is known.
"""

import dataclasses

from django.db import transaction

from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry

from .models import User

NAME_MAX = 150


@dataclasses.dataclass
class AgentLogin:
    user: User | None
    refused: str = ""  # why the login is refused, in French
    created: bool = False

    @property
    def has_role(self) -> bool:
        return self.user is not None and self.user.memberships.filter(is_active=True).exists()


def details(claims: dict) -> dict:
    """What the journal keeps of a ProConnect login (no name: the account says who)."""
    return {"moyen": "ProConnect", "siret": claims.get("siret", ""), "fournisseur": claims.get("idp_id", "")}


@transaction.atomic
def agent_for(claims: dict) -> AgentLogin:
    email = (claims.get("email") or "").strip().lower()
    if not email or "@" not in email:
        return AgentLogin(None, "ProConnect n'a pas transmis d'adresse e-mail professionnelle : connexion refusée.")
    found = list(User.objects.filter(email__iexact=email)[:2])
    if len(found) > 1:
        return AgentLogin(None, "Plusieurs comptes portent cette adresse : l'équipe projet doit les réunir.")
    given, usual = str(claims.get("given_name") or "")[:NAME_MAX], str(claims.get("usual_name") or "")[:NAME_MAX]
    if not found:
        user = User.objects.create_user(email=email, first_name=given, last_name=usual)  # no password
        JournalEntry.log(
            action=Action.MEMBERSHIP_CHANGED,
            target=user,
            reason="Compte créé à la première connexion ProConnect, sans rôle",
            details=details(claims),
        )
        return AgentLogin(user, created=True)
    user = found[0]
    if not user.is_active:
        return AgentLogin(None, "Ce compte est désactivé. Contactez l'équipe projet de votre territoire.")
    siret = str(claims.get("siret") or "").strip()
    checked = [
        m.organisation
        for m in user.memberships.filter(is_active=True, organisation__isnull=False).select_related("organisation")
        if m.organisation.siret
    ]
    if checked and siret not in {o.siret for o in checked}:
        names = ", ".join(sorted({f"{o.name} (SIRET {o.siret})" for o in checked}))
        told = f"l'établissement de SIRET {siret}" if siret else "un établissement sans SIRET"
        return AgentLogin(
            None,
            f"ProConnect vous connecte pour {told}, qui n'est pas l'organisation de votre rôle : {names}. Connectez-"
            "vous avec le compte de cette organisation, ou demandez à l'équipe projet de mettre votre rôle à jour.",
        )
    names = {"first_name": given, "last_name": usual}
    changed = [name for name, value in names.items() if value and getattr(user, name) != value]
    for name in changed:
        setattr(user, name, names[name])
    if changed:
        user.save(update_fields=changed)
    return AgentLogin(user)


def whom_to_ask() -> list[tuple[str, list[str]]]:
    """Each territory and its project team's addresses: who grants a role."""
    from .enums import Role
    from .models import Membership

    teams: dict[str, list[str]] = {}
    found = Membership.objects.filter(role=Role.PROJECT_TEAM, is_active=True, user__is_active=True)
    for territory, email in found.values_list("territory__name", "user__email").order_by(
        "territory__name", "user__email"
    ):
        teams.setdefault(territory, []).append(email)
    return list(teams.items())
