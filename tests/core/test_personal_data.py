"""The one personal-data detector: what residents' texts give away, said in French, refused or scrubbed."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from carteblanche.core import personal_data
from carteblanche.core.widgets import PersonalDataTextarea


def kinds(text, **options):
    return [f.kind for f in personal_data.find(text, **options)]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("écrivez-moi à sarah.martin@exemple.fr", "email"),
        ("appelez le 06 12 34 56 78 le matin", "phone"),
        ("mon portable : 06.12.34.56.78", "phone"),
        ("au +33 6 12 34 56 78", "phone"),
        ("au 0033612345678", "phone"),
        ("mon numéro de sécu 2 84 05 46 042 123 29", "nir"),  # key checked: 97 − n mod 97
        ("NIR 184052A012345", "nir"),  # Corsica, without its key
        ("virez sur FR76 3000 6000 0112 3456 7890 189", "iban"),
        ("ma carte 4970 1012 3456 7893", "card"),
        ("j'habite 12 rue des Tanneurs à Cahors", "address"),
        ("au 3 bis, chemin de la Croix", "address"),
        ("lieu-dit du Mas, 46090", "address"),
        ("Bonjour, je m'appelle Odette Vidal et", "name"),
        ("mon nom est Durand", "name"),
        ("je suis née le 3 mars 1952 à Catus", "birth"),
        ("né le 03/03/1952", "birth"),
    ],
)
def test_each_kind_of_personal_data_is_found(text, kind):
    assert kinds(text) == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Le bus ne passe qu'une fois par jour, à 7 h 15, et revient à 18 h.",
        "Il faut 45 minutes pour aller à Cahors, 25 km aller et 25 km retour.",
        "La CAF a mis 3 mois à répondre, et le dossier 2024-0012 est perdu.",
        "Mon numéro de sécu 2 84 05 46 042 123 30",  # a wrong key: a reference, not a NIR
        "Commande 4970 1012 3456 7890",  # not a card: Luhn fails
        "Le marché de Cahors a lieu le samedi matin place Chapou.",
        "Ouvert de 9 h à 12 h, 1 200 habitants, code 46042.",
    ],
)
def test_ordinary_texts_give_nothing_away(text):
    assert kinds(text) == []


def test_health_words_only_where_asked_and_links_only_when_scrubbing():
    text = "Ma voisine sort de l'hôpital après sa chimio, voir https://exemple.fr/x"
    assert kinds(text) == []
    assert kinds(text, health=True) == ["health", "health"]
    assert personal_data.scrub(text) == "Ma voisine sort de l'hôpital après sa chimio, voir […]"
    assert personal_data.scrub(text, health=True) == "Ma voisine sort de l'[…] après sa […], voir […]"


def test_the_message_names_what_was_found_in_french():
    one = personal_data.message(personal_data.find("au 06 12 34 56 78"))
    assert one.startswith("Votre texte contient un numéro de téléphone : retirez-le avant d'envoyer.")
    address = personal_data.message(personal_data.find("12 rue des Tanneurs"))
    assert address.startswith("Votre texte contient une adresse postale : retirez-la")
    several = personal_data.message(personal_data.find("Je m'appelle Odette, 06 12 34 56 78, o@exemple.fr"))
    assert several.startswith(
        "Votre texte contient un nom, un numéro de téléphone et une adresse électronique : retirez-les"
    )


def test_a_form_refuses_to_send_and_says_why_on_the_field():
    class Comment(forms.Form):
        text = forms.CharField(validators=[personal_data.validate_no_personal_data])

    form = Comment({"text": "Rappelez-moi au 06 12 34 56 78"})
    assert not form.is_valid()
    assert form.errors["text"] == [
        "Votre texte contient un numéro de téléphone : retirez-le avant d'envoyer. Décrivez la situation sans "
        "écrire qui est la personne : le service vous recontactera par les coordonnées prévues pour cela."
    ]
    with pytest.raises(ValidationError):
        personal_data.validate_no_personal_or_health_data("Il est sous dialyse depuis mars")
    personal_data.validate_no_personal_data("Il est sous dialyse depuis mars")


def test_as_one_types_the_widget_asks_and_the_page_answers(client):
    class Signal(forms.Form):
        text = forms.CharField(widget=PersonalDataTextarea(health=True))

    html = str(Signal()["text"])
    assert 'hx-post="/donnees-personnelles/verifier/?champ=text&amp;sante=1"' in html
    assert 'aria-describedby="id_text-donnees-personnelles"' in html
    assert '<div id="id_text-donnees-personnelles" aria-live="polite"></div>' in html
    url = reverse("core:personal_data_check") + "?champ=text&sante=1"
    answer = client.post(url, {"text": "Ma voisine, Mme Vidal, 06 12 34 56 78, est sous dialyse"}).content.decode()
    assert "un numéro de téléphone et une information de santé" in answer
    assert client.post(url, {"text": "Le bus ne passe plus"}).content.decode().strip() == ""
    assert client.get(url).status_code == 405
