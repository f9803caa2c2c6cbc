"""ProConnect and FranceConnect against a real OpenID provider running locally (oidc-provider-mock, in a thread):
the whole authorization code flow by HTTP — state and nonce, the signed ID token checked against the provider's
keys, the user information, logout through the provider's end of session — and what goes wrong (bad state, a code
used twice, a nonce that is not ours, a provider that does not answer, an agent the platform does not know, a SIRET
that is not her organisation's). The signed JWT user information ProConnect sends (the mock sends JSON) is checked
by unit tests with our own RS256 and ES256 keys."""

import html
import time
import warnings
from urllib.parse import parse_qs, quote, urlparse

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse

from carteblanche.accounts import oidc
from carteblanche.accounts.models import Membership, User
from carteblanche.audit.enums import Action
from carteblanche.audit.models import JournalEntry
from carteblanche.rights.demo import SARAH_EMAIL
from carteblanche.rights.models import Person
from tests.demo import demo_user

CLIENT_ID, CLIENT_SECRET = "carteblanche", "secret-de-test"


@pytest.fixture(scope="session")
def op():
    """A real OpenID provider on localhost for the session (nonce required, any client accepted)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread(require_nonce=True) as server:
        yield f"http://localhost:{server.server_port}"


def provider_conf(op_url, name, **extra):
    base = {
        "proconnect": {
            "label": "ProConnect",
            "scopes": "openid profile email given_name usual_name uid siret idp_id",  # the mock needs « profile »
            "extra_params": {},
            "callback": "accounts:proconnect_callback",
            "post_logout": "accounts:oidc_logged_out",
        },
        "franceconnect": {
            "label": "FranceConnect",
            "scopes": "openid profile email given_name family_name birthdate",
            "extra_params": {"acr_values": "eidas1", "prompt": "login consent"},
            "callback": "rights:franceconnect_callback",
            "post_logout": "rights:franceconnect_logged_out",
        },
    }[name]
    return {
        **base,
        "discovery_url": f"{op_url}/.well-known/openid-configuration",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "algorithm": "RS256",
        **extra,
    }


@pytest.fixture
def providers(settings, op):
    settings.OIDC_PROVIDERS = {name: provider_conf(op, name) for name in ("proconnect", "franceconnect")}
    cache.clear()
    yield op
    cache.clear()


def through_provider(client, start_url, op_url, sub, claims, *, data=None):
    """The browser goes to the provider, the person is known there with ``claims`` and accepts; the provider sends
    the browser back. Returns (the callback's response, the authorization URL)."""
    assert requests.put(f"{op_url}/users/{quote(sub)}", json=claims, timeout=5).status_code == 204
    started = client.get(start_url, data or {})
    assert started.status_code == 302, started
    authorize = started["Location"]
    answer = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlparse(answer.headers["location"])
    return client.get(f"{back.path}?{back.query}"), authorize


def agent_claims(email, **extra):
    return {
        "email": email,
        "given_name": "Camille",
        "usual_name": "Delpech",
        "uid": "u-1",
        "siret": "",
        "idp_id": "fia1v2",
        **extra,
    }


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_an_agent_logs_in_with_proconnect_matched_on_her_email_and_logs_out_through_it(client, providers):
    agent = demo_user("agent.franceservices")
    organisation = agent.memberships.filter(organisation__isnull=False).first().organisation
    answer, authorize = through_provider(
        client,
        reverse("accounts:proconnect"),
        providers,
        "sub-chez-un-fournisseur",
        agent_claims(agent.email.upper(), siret=organisation.siret or "13000000000000"),
    )
    query = parse_qs(urlparse(authorize).query)
    assert len(query["state"][0]) >= 32 and len(query["nonce"][0]) >= 32
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["code"]
    assert answer.status_code == 302 and answer["Location"] == reverse("core:home")
    assert int(client.session["_auth_user_id"]) == agent.pk
    login = JournalEntry.objects.filter(action=Action.LOGIN, actor=agent).latest("pk")
    assert login.details["moyen"] == "ProConnect" and login.details["fournisseur"] == "fia1v2"
    assert client.get(reverse("core:home")).status_code == 200  # no second factor asked: the provider's

    out = client.post(reverse("accounts:logout"))
    end = urlparse(out["Location"])
    assert f"{end.scheme}://{end.netloc}" == providers and end.path == "/oauth2/end_session"
    hint = parse_qs(end.query)
    assert hint["id_token_hint"][0].count(".") == 2 and len(hint["state"][0]) >= 32
    assert hint["post_logout_redirect_uri"] == ["http://testserver" + reverse("accounts:oidc_logged_out")]
    assert "_auth_user_id" not in client.session
    confirm = requests.post(
        f"{providers}/oauth2/end_session/confirm",
        data={"redirect_uri": f"{hint['post_logout_redirect_uri'][0]}?state={hint['state'][0]}"},
        allow_redirects=False,
        timeout=5,
    )
    back = urlparse(confirm.headers["location"])
    done = client.get(f"{back.path}?{back.query}", follow=True)
    assert "déconnectée de Carte blanche et de ProConnect" in text(done)
    assert JournalEntry.objects.filter(action=Action.LOGOUT, actor=agent).exists()


def test_an_agent_the_platform_does_not_know_gets_no_role_and_is_told_whom_to_ask(client, providers):
    answer, _ = through_provider(
        client, reverse("accounts:proconnect"), providers, "nouvelle", agent_claims("nouvelle.agente@lot.gouv.fr")
    )
    assert answer["Location"] == reverse("accounts:no_role")
    user = User.objects.get(email="nouvelle.agente@lot.gouv.fr")
    assert not user.has_usable_password() and (user.first_name, user.last_name) == ("Camille", "Delpech")
    assert not Membership.objects.filter(user=user).exists()
    page = text(client.get(reverse("accounts:no_role")))
    assert "Votre compte n'a pas encore de rôle" in page and "equipe@demo.carteblanche.fr" in page
    assert client.get(reverse("rights:console", args=["bassin-de-vie-de-cahors"])).status_code in (403, 404)


def test_a_siret_that_is_not_her_organisations_is_refused(client, providers):
    agent = demo_user("agent.caf")
    organisation = agent.memberships.filter(organisation__isnull=False).first().organisation
    organisation.siret = "53459100000015"
    organisation.save()
    answer, _ = through_provider(
        client, reverse("accounts:proconnect"), providers, "caf", agent_claims(agent.email, siret="13002526500013")
    )
    page = text(answer)
    assert answer.status_code == 200 and "Connexion refusée" in page and "13002526500013" in page
    assert "53459100000015" in page and "_auth_user_id" not in client.session
    assert JournalEntry.objects.filter(action=Action.LOGIN_FAILED, details__siret="13002526500013").exists()


def test_a_state_that_is_not_ours_a_code_used_twice_and_a_nonce_that_is_not_ours_are_refused(client, providers):
    agent = demo_user("agent.franceservices")
    refused = client.get(reverse("accounts:proconnect_callback"), {"code": "x", "state": "z" * 48})
    assert refused.status_code == 200 and "n'est pas attendu" in text(refused)
    assert "_auth_user_id" not in client.session

    # A code used twice: the state is gone after its first use; put back, the provider refuses the code.
    assert requests.put(f"{providers}/users/a1", json=agent_claims(agent.email), timeout=5).status_code == 204
    authorize = client.get(reverse("accounts:proconnect"))["Location"]
    back = urlparse(requests.post(authorize, data={"sub": "a1"}, allow_redirects=False, timeout=5).headers["location"])
    state = parse_qs(back.query)["state"][0]
    pending = dict(client.session["oidc_states"][state])
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    client.post(reverse("accounts:logout"))
    again = client.get(f"{back.path}?{back.query}")
    assert "n'est pas attendu" in text(again)
    session = client.session
    session["oidc_states"] = {state: pending}
    session.save()
    replayed = client.get(f"{back.path}?{back.query}")
    assert "a refusé le code de connexion" in text(replayed) and "_auth_user_id" not in client.session

    # A nonce that is not the one sent: the ID token is refused.
    authorize = client.get(reverse("accounts:proconnect"))["Location"]
    back = urlparse(requests.post(authorize, data={"sub": "a1"}, allow_redirects=False, timeout=5).headers["location"])
    state = parse_qs(back.query)["state"][0]
    session = client.session
    session["oidc_states"][state]["nonce"] = "n" * 48
    session.save()
    forged = client.get(f"{back.path}?{back.query}")
    assert "n'a pas pu être vérifiée" in text(forged) and "_auth_user_id" not in client.session


def test_a_person_who_cancels_at_the_provider_is_told(client, providers):
    assert requests.put(f"{providers}/users/c", json=agent_claims("c@lot.gouv.fr"), timeout=5).status_code == 204
    authorize = client.get(reverse("accounts:proconnect"))["Location"]
    denied = requests.post(authorize, data={"action": "deny"}, allow_redirects=False, timeout=5)
    back = urlparse(denied.headers["location"])
    assert "Vous avez annulé la connexion avec ProConnect" in text(client.get(f"{back.path}?{back.query}"))


def test_a_provider_that_does_not_answer_says_so_and_passwords_still_work(client, settings, op):
    settings.OIDC_PROVIDERS = {
        name: provider_conf(op, name, discovery_url="http://127.0.0.1:9/.well-known/openid-configuration")
        for name in ("proconnect", "franceconnect")
    }
    cache.clear()
    page = text(client.get(reverse("accounts:login")))
    assert "ProConnect ne répond pas pour l'instant" in page and "disabled" in page
    assert "FranceConnect ne répond pas pour l'instant" in text(client.get(reverse("rights:space_login")))
    start = client.get(reverse("accounts:proconnect"), follow=True)
    assert "ProConnect ne répond pas" in text(start)
    logged = client.post(
        reverse("accounts:login"), {"username": "equipe@demo.carteblanche.fr", "password": "demo-carteblanche-2018"}
    )
    assert logged.status_code == 302 and "_auth_user_id" in client.session
    cache.clear()


def test_production_refuses_agents_passwords_unless_allowed(client, settings):
    settings.AGENT_PASSWORDS_ALLOWED = False
    refused = client.post(
        reverse("accounts:login"), {"username": "equipe@demo.carteblanche.fr", "password": "demo-carteblanche-2018"}
    )
    assert "les agents se connectent avec ProConnect" in text(refused) and "_auth_user_id" not in client.session
    admin = demo_user("admin")
    assert admin.is_superuser
    kept = client.post(reverse("accounts:login"), {"username": admin.email, "password": "demo-carteblanche-2018"})
    assert kept.status_code == 302


def test_a_resident_opens_her_space_with_franceconnect_when_her_identity_matches_one_file(client, providers):
    sarah = Person.objects.get(email=SARAH_EMAIL)
    claims = {
        "given_name": "SARAH Lucie",
        "family_name": "Martin",
        "birthdate": sarah.birth_date.isoformat(),
        "email": "autre.adresse@exemple.fr",
    }
    answer, authorize = through_provider(client, reverse("rights:franceconnect"), providers, "fc-sarah", claims)
    query = parse_qs(urlparse(authorize).query)
    assert query["acr_values"] == ["eidas1"] and len(query["nonce"][0]) >= 32
    assert answer["Location"] == reverse("rights:space")
    assert "Sarah" in text(client.get(reverse("rights:space")))
    out = client.post(reverse("rights:space_logout"))
    assert urlparse(out["Location"]).path == "/oauth2/end_session"

    nobody = {**claims, "family_name": "Inconnue"}
    answer, _ = through_provider(client, reverse("rights:franceconnect"), providers, "fc-autre", nobody)
    assert "Aucun dossier à votre nom" in text(answer)
    assert client.get(reverse("rights:space")).status_code == 403


# The signed user information (ProConnect, FranceConnect v2), with our own keys ----------------------------------


def signed_userinfo_case(monkeypatch, algorithm):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if algorithm == "RS256" else None
    key = key or ec.generate_private_key(ec.SECP256R1())
    public = (jwt.algorithms.RSAAlgorithm if algorithm == "RS256" else jwt.algorithms.ECAlgorithm).to_jwk(
        key.public_key(), as_dict=True
    )
    public["kid"] = "cle-1"
    prov = oidc.Provider(
        name="proconnect",
        label="ProConnect",
        discovery_url="https://proconnect.invalid/api/v2/.well-known/openid-configuration",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        scopes="openid email",
        algorithm=algorithm,
        extra_params={},
        callback="accounts:proconnect_callback",
        post_logout="accounts:oidc_logged_out",
    )
    document = {"issuer": "https://proconnect.invalid/api/v2", "jwks_uri": "https://proconnect.invalid/jwks"}
    monkeypatch.setattr(oidc.Provider, "document", lambda self: document)

    class Answer:
        status_code = 200

        def raise_for_status(self):
            return None

        def json(self):
            return {"keys": [public]}

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", lambda *a, **k: Answer())
    monkeypatch.setattr(oidc.requests, "get", lambda *a, **k: Answer())
    now = int(time.time())
    claims = {
        "sub": "s-1",
        "email": "agent@lot.gouv.fr",
        "siret": "13000000000000",
        "iss": document["issuer"],
        "aud": CLIENT_ID,
        "iat": now,
        "exp": now + 60,
    }

    def sign(payload, signer=key):
        return jwt.encode(payload, signer, algorithm=algorithm, headers={"kid": "cle-1"})

    return oidc.Client(prov), claims, sign


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
def test_a_signed_user_information_is_checked_against_the_providers_key(monkeypatch, algorithm):
    client, claims, sign = signed_userinfo_case(monkeypatch, algorithm)
    assert client.verify_userinfo_jwt(sign(claims))["siret"] == "13000000000000"
    token = sign(claims)
    head, body, signature = token.split(".")
    tampered_body = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(body).replace(b"13000000000000", b"99999999999999")
    ).decode()
    with pytest.raises(SuspiciousOperation):
        client.verify_userinfo_jwt(f"{head}.{tampered_body}.{signature}")
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048) if algorithm == "RS256" else None
    with pytest.raises(SuspiciousOperation):
        client.verify_userinfo_jwt(sign(claims, signer=other or ec.generate_private_key(ec.SECP256R1())))
    for wrong in ({"aud": "un-autre-client"}, {"iss": "https://ailleurs.invalid"}, {"exp": int(time.time()) - 3600}):
        with pytest.raises(SuspiciousOperation):
            client.verify_userinfo_jwt(sign({**claims, **wrong}))


def test_an_id_token_signed_with_another_algorithm_is_refused(monkeypatch):
    client, claims, sign = signed_userinfo_case(monkeypatch, "RS256")
    hs = jwt.encode({**claims, "nonce": "n" * 48}, "s" * 48, algorithm="HS256", headers={"kid": "cle-1"})
    with pytest.raises(SuspiciousOperation):
        client.verify_token(hs, nonce="n" * 48)
    assert client.verify_token(sign({**claims, "nonce": "n" * 48}), nonce="n" * 48)["sub"] == "s-1"


def test_a_resident_without_a_file_opens_hers_from_franceconnect_with_her_consent(client, providers):
    from carteblanche.rights.enums import DataCategory, Purpose
    from carteblanche.territories.models import Commune, Organisation

    claims = {
        "given_name": "Inès Marie",
        "family_name": "Lacombe",
        "birthdate": "1988-03-05",
        "email": "ines@exemple.fr",
    }
    answer, _ = through_provider(client, reverse("rights:franceconnect"), providers, "fc-ines", claims)
    page = text(answer)
    assert "Aucun dossier à votre nom" in page and "Ouvrir mon dossier" in page and "Lacombe" in page
    cahors = Commune.objects.get(insee_code="46042")
    caf = Organisation.objects.get(territory__slug="bassin-de-vie-de-cahors", name="CAF du Lot")
    figeac = Organisation.objects.exclude(territory__communes=cahors).first()
    form = {
        "commune": cahors.pk,
        "organisations": [caf.pk, figeac.pk],
        "categories": [DataCategory.IDENTITY, DataCategory.INCOME],
        "purposes": [Purpose.values[0]],
        "days": 365,
    }
    register = reverse("rights:franceconnect_register")
    refused = text(client.post(register, form))
    assert "Cochez cette case pour ouvrir votre dossier." in refused and "ne servent pas votre commune" in refused
    assert not Person.objects.filter(last_name="Lacombe").exists()
    opened = client.post(register, {**form, "organisations": [caf.pk], "confirmed": "on"})
    assert opened["Location"] == reverse("rights:space")
    ines = Person.objects.get(last_name="Lacombe")
    assert (ines.first_name, ines.birth_date.isoformat(), ines.commune) == ("Inès", "1988-03-05", cahors)
    assert ines.provenance["first_name"]["source"] == "FranceConnect"
    consent = ines.consents.get()
    assert list(consent.organisations.all()) == [caf]
    assert "Inès" in text(client.get(reverse("rights:space")))
    # The next time, FranceConnect opens her space directly.
    client.post(reverse("rights:space_logout"))
    again, _ = through_provider(client, reverse("rights:franceconnect"), providers, "fc-ines", claims)
    assert again["Location"] == reverse("rights:space")
