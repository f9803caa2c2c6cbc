"""ProConnect (agents) and FranceConnect v2 (residents): OpenID Connect clients on mozilla-django-oidc.

One ``Provider`` per entry of ``settings.OIDC_PROVIDERS``; its endpoints come from its discovery document, read once
and kept a few minutes (``discovery``): a provider that does not answer is shown as such on its button, and the rest
of the site works.

The flow is the authorization code flow: ``start`` sends the browser to the provider with a ``state`` and a
``nonce`` of at least 32 characters, kept in the session (mozilla-django-oidc's own request view); ``finish`` takes
the state back (once: a state is never accepted twice), exchanges the code, checks the ID token — its signature
against the provider's keys, its algorithm, issuer, audience, expiry and nonce — then reads the user information,
which ProConnect and FranceConnect v2 send as a signed JWT (``application/jwt``), checked the same way, and whose
``sub`` must be the ID token's. Anything wrong raises ``LoginFailed`` with a French message; nothing half-logs in.

Who the person is, and what she may do, is decided by the callers (``accounts.views`` for agents, ``rights``
for residents). Logout goes through the provider's ``end_session_endpoint`` with ``id_token_hint`` and a state.
"""

import dataclasses
import logging
import secrets
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify, add_state_and_verifier_and_nonce_to_session

logger = logging.getLogger(__name__)

STATE_SIZE = NONCE_SIZE = 48  # at least 32, as ProConnect and FranceConnect require
DISCOVERY_SECONDS = 300
UNREACHABLE_SECONDS = 60  # a provider that did not answer is asked again after a minute
TIMEOUT = 5
SESSION_KEY = "oidc_login"  # {"provider": name, "id_token": …} while logged in through a provider
LOGOUT_STATE_KEY = "oidc_logout_state"


class LoginFailed(Exception):
    """The login did not complete; the message says why, in French."""


class Unreachable(LoginFailed):
    pass


@dataclasses.dataclass(frozen=True)
class Provider:
    name: str  # "proconnect" | "franceconnect"
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    scopes: str
    algorithm: str
    extra_params: dict
    callback: str  # URL name of the callback
    post_logout: str  # URL name where the provider sends the browser back after logout

    @property
    def configured(self) -> bool:
        return bool(self.discovery_url and self.client_id)

    def document(self) -> dict:
        """The provider's discovery document (cached); ``Unreachable`` when it does not answer."""
        key = f"oidc-discovery:{self.name}:{self.discovery_url}"
        found = cache.get(key)
        if found == "unreachable":
            raise Unreachable(f"{self.label} ne répond pas pour l'instant.")
        if found:
            return found
        try:
            response = requests.get(self.discovery_url, timeout=TIMEOUT)
            response.raise_for_status()
            found = response.json()
            for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not found.get(name):
                    raise ValueError(name)
        except (requests.RequestException, ValueError) as exc:
            logger.warning("oidc_discovery_failed provider=%s error=%s", self.name, exc)
            cache.set(key, "unreachable", UNREACHABLE_SECONDS)
            raise Unreachable(f"{self.label} ne répond pas pour l'instant.") from None
        cache.set(key, found, DISCOVERY_SECONDS)
        return found

    def available(self) -> tuple[bool, str]:
        """(usable now, why not) — for the login buttons."""
        if not self.configured:
            return False, f"La connexion avec {self.label} n'est pas configurée sur ce serveur."
        try:
            self.document()
        except Unreachable as exc:
            return False, f"{exc} Réessayez dans quelques minutes."
        return True, ""


def provider(name: str) -> Provider:
    conf = settings.OIDC_PROVIDERS[name]
    return Provider(name=name, **conf)


class Client(OIDCAuthenticationBackend):
    """mozilla-django-oidc's token exchange and JWT checks, for one provider, read lazily (never on import, never
    for a password login: this class is not an authentication backend)."""

    def __init__(self, prov: Provider):  # noqa: D107 — no settings read, no request made here
        self.provider = prov
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = prov.client_id
        self.OIDC_RP_CLIENT_SECRET = prov.client_secret
        self.OIDC_RP_SIGN_ALGO = prov.algorithm
        self.OIDC_RP_IDP_SIGN_KEY = None

    def get_settings(self, attr, *args):
        values = {
            "OIDC_RP_SCOPES": self.provider.scopes,
            "OIDC_USE_NONCE": True,
            "OIDC_TIMEOUT": TIMEOUT,
            "OIDC_VERIFY_SSL": True,
            "OIDC_PROXY": None,
            "OIDC_TOKEN_USE_BASIC_AUTH": False,
            "OIDC_ALLOW_UNSECURED_JWT": False,
            "OIDC_AUTHENTICATION_CALLBACK_URL": self.provider.callback,
            "OIDC_STORE_ID_TOKEN": False,
            "OIDC_STORE_ACCESS_TOKEN": False,
        }
        if attr in values:
            return values[attr]
        if args:
            return args[0]
        raise KeyError(attr)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 — mozilla-django-oidc's name
        return self.provider.document()["token_endpoint"]

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return self.provider.document()["userinfo_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return self.provider.document()["jwks_uri"]

    def retrieve_matching_jwk(self, token):
        """The provider's key for this token: by its ``kid``; a token without one only when the provider publishes a
        single key."""
        if "kid" in jwt.get_unverified_header(token):
            return super().retrieve_matching_jwk(token)
        response = requests.get(self.OIDC_OP_JWKS_ENDPOINT, timeout=TIMEOUT)
        response.raise_for_status()
        keys = [key for key in response.json().get("keys", []) if key.get("use", "sig") == "sig"]
        if len(keys) != 1:
            raise SuspiciousOperation("Jeton sans « kid » et plusieurs clés publiées.")
        return jwt.PyJWK(keys[0])

    def _verify_jws(self, payload, key):
        """The signature, the algorithm agreed at registration, the issuer, the audience (this client) and the
        expiry — mozilla-django-oidc checks neither audience nor issuer."""
        header = jwt.get_unverified_header(payload)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("Algorithme de signature inattendu.")
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.document()["issuer"],
                options={"require": ["exp", "iss", "aud"]},
                leeway=30,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"Jeton refusé : {exc}") from exc

    def userinfo_claims(self, access_token: str, id_claims: dict) -> dict:
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"}, timeout=TIMEOUT
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            claims = self.verify_userinfo_jwt(response.text)
        else:
            claims = response.json()
        if claims.get("sub") != id_claims.get("sub"):
            raise SuspiciousOperation("Les informations reçues ne sont pas celles de la personne connectée.")
        return claims

    def verify_userinfo_jwt(self, token: str) -> dict:
        """A signed user information (ProConnect, FranceConnect v2): same key, algorithm, issuer and audience as the
        ID token; it carries no nonce."""
        key = self.retrieve_matching_jwk(token)
        header = jwt.get_unverified_header(token)
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation("Algorithme de signature inattendu.")
        try:
            return jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.document()["issuer"],
                options={"verify_exp": True},
                leeway=30,
            )
        except jwt.InvalidTokenError as exc:
            raise SuspiciousOperation(f"Informations refusées : {exc}") from exc


def start(request, name: str, *, next_url: str = "") -> str:
    """Where to send the browser: the provider's authorization endpoint, with a new state and nonce kept in the
    session."""
    prov = provider(name)
    if not prov.configured:
        raise LoginFailed(f"La connexion avec {prov.label} n'est pas configurée sur ce serveur.")
    document = prov.document()
    state, nonce = get_random_string(STATE_SIZE), get_random_string(NONCE_SIZE)
    add_state_and_verifier_and_nonce_to_session(request, state, {"nonce": nonce, "code_verifier": None})
    request.session["oidc_states"][state]["provider"] = name
    request.session["oidc_states"][state]["next"] = next_url
    request.session.modified = True
    params = {
        "response_type": "code",
        "client_id": prov.client_id,
        "redirect_uri": absolutify(request, reverse(prov.callback)),
        "scope": prov.scopes,
        "state": state,
        "nonce": nonce,
        **prov.extra_params,
    }
    return f"{document['authorization_endpoint']}?{urlencode(params)}"


@dataclasses.dataclass
class Identity:
    provider: str
    claims: dict
    id_token: str
    next_url: str


def finish(request, name: str) -> Identity:
    """The provider sent the browser back: take the state back (once), exchange the code, check both tokens."""
    prov = provider(name)
    error = request.GET.get("error")
    state = request.GET.get("state", "")
    states = request.session.get("oidc_states", {})
    pending = states.pop(state, None) if state else None
    request.session.modified = True
    if error:
        if error == "access_denied":
            raise LoginFailed(f"Vous avez annulé la connexion avec {prov.label}.")
        raise LoginFailed(f"{prov.label} a refusé la connexion ({error[:60]}).")
    if pending is None or pending.get("provider") != name:
        raise LoginFailed("Ce retour de connexion n'est pas attendu (lien déjà utilisé ou expiré) : recommencez.")
    code = request.GET.get("code", "")
    if not code:
        raise LoginFailed(f"{prov.label} n'a pas transmis de code de connexion : recommencez.")
    client = Client(prov)
    client.request = request
    try:
        tokens = client.get_token(
            {
                "client_id": prov.client_id,
                "client_secret": prov.client_secret,
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": absolutify(request, reverse(prov.callback)),
            }
        )
        id_token = tokens.get("id_token") or ""
        if not id_token:
            raise SuspiciousOperation("Pas de jeton d'identité.")
        id_claims = client.verify_token(id_token, nonce=pending.get("nonce"))
        claims = client.userinfo_claims(tokens.get("access_token", ""), id_claims)
    except requests.HTTPError as exc:
        logger.warning("oidc_token_refused provider=%s error=%s", name, str(exc)[:300])
        raise LoginFailed(
            f"{prov.label} a refusé le code de connexion (expiré ou déjà utilisé) : recommencez."
        ) from None
    except requests.RequestException as exc:
        logger.warning("oidc_unreachable provider=%s error=%s", name, exc)
        raise Unreachable(f"{prov.label} ne répond pas pour l'instant : réessayez dans quelques minutes.") from None
    except (SuspiciousOperation, jwt.InvalidTokenError, ValueError, KeyError) as exc:
        logger.warning("oidc_token_invalid provider=%s error=%s", name, exc)
        raise LoginFailed(f"La réponse de {prov.label} n'a pas pu être vérifiée : connexion refusée.") from None
    return Identity(provider=name, claims=claims, id_token=id_token, next_url=pending.get("next", ""))


def remember(request, identity: Identity) -> None:
    """After the login: what logout will need (the ID token, for ``id_token_hint``)."""
    request.session[SESSION_KEY] = {"provider": identity.provider, "id_token": identity.id_token}


def logout_url(request, login: dict) -> str | None:
    """The provider's end of session for a login kept by ``remember``, with a new state kept in the (new) session;
    None when the provider cannot be reached or has no end_session_endpoint."""
    prov = provider(login["provider"])
    try:
        endpoint = prov.document().get("end_session_endpoint")
    except Unreachable:
        return None
    if not endpoint:
        return None
    state = secrets.token_urlsafe(STATE_SIZE)
    request.session[LOGOUT_STATE_KEY] = state
    params = {
        "id_token_hint": login["id_token"],
        "state": state,
        "post_logout_redirect_uri": absolutify(request, reverse(prov.post_logout)),
    }
    return f"{endpoint}?{urlencode(params)}"


def logout_returned(request) -> bool:
    """The provider sent the browser back after logout with the state we gave it."""
    expected = request.session.pop(LOGOUT_STATE_KEY, None)
    given = request.GET.get("state", "")
    return bool(expected) and secrets.compare_digest(expected, given)
