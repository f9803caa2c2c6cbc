"""The personal-data detector on thirty French sentences residents could write in a comment or an experience:
eighteen that reach someone (each must be caught, with its kind) and twelve ordinary ones (none flagged: dates,
times, counts and a street without a number are not personal data)."""

import pytest

from carteblanche.core.personal_data import find, message

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

POSITIVES = [
    ("Écrivez-moi à claire.martin@orange.fr", "email"),
    ("mon numéro : 06 12 34 56 78", "phone"),
    ("appelez le 05.65.23.45.67 svp", "phone"),
    ("+33 6 12 34 56 78", "phone"),
    ("0612345678 merci", "phone"),
    ("Mon numéro de sécu 1 84 05 46 042 123 79", "nir"),
    ("sécu 284054604212329", "nir"),
    ("IBAN FR76 3000 6000 0112 3456 7890 189", "iban"),
    ("carte 4970 1012 3456 7893", "card"),
    ("j'habite 12 rue de la Paix à Cahors", "address"),
    ("au 3 bis avenue Jean Jaurès", "address"),
    ("chemin des Vignes, 46000 Cahors", "address"),
    ("Je m'appelle Sarah Dupont", "name"),
    ("je m’appelle Odette", "name"),
    ("Mon nom est Bernard", "name"),
    ("Je suis Madame Lacombe", "name"),
    ("née le 12/03/1985", "birth"),
    ("né le 3 mars 1950", "birth"),
    ("date de naissance : 01/02/1990", "birth"),
    ("lieu-dit Les Granges 46090", "address"),
]

NEGATIVES = [
    "J'ai attendu 45 minutes le 12 mars.",
    "Le bus passe le mardi à 10 h 30.",
    "On m'a demandé de rappeler le 3949.",
    "Il manquait mon numéro d'allocataire, je suis revenue.",
    "Très bon accueil, merci à toute l'équipe !",
    "La rue principale est en travaux, difficile de se garer.",
    "J'ai dû revenir 2 fois en 3 semaines.",
    "Dossier réglé en 20 minutes, 5 étoiles.",
    "Attente de 1 h 15 le lundi 4 novembre 2026.",
    "Le guichet ferme à 16 h 30 le vendredi.",
    "Je m'appelais pas, c'est ma fille qui a appelé.",
    "Mon nom n'était pas dans la liste.",
]


def test_thirty_examples():
    assert len(POSITIVES) + len(NEGATIVES) >= 30


@pytest.mark.parametrize(("text", "kind"), POSITIVES)
def test_what_reaches_someone_is_caught(text, kind):
    assert kind in [finding.kind for finding in find(text)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_sentences_are_not_flagged(text):
    assert find(text) == []


def test_the_message_says_what_to_take_out_in_french():
    text = "Je m'appelle Sarah, rappelez-moi au 06 12 34 56 78"
    assert message(find(text)).startswith("Votre texte contient un nom et un numéro de téléphone : retirez-les")
