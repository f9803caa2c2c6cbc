"""The reference households, written by hand (see build.py). Amounts are monthly euros; months inclusive."""

CASES = {
    "sarah_salariee": {
        "description": "Sarah, seule avec deux enfants (2019, 2023), locataire à Cahors (550 €), salariée à "
        "1 100 € net.",
        "mois": "2026-11",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 550},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Sarah",
                "naissance": "2001-03-15",
                "revenus": {
                    "salaire_net": [("2024-01", "2026-11", 1100)],
                    "salaire_imposable": [("2024-01", "2026-11", 1133)],
                },
                "activite": [("2024-01", "2026-11", "actif")],
            },
            {"role": "enfant", "naissance": "2019-06-01"},
            {"role": "enfant", "naissance": "2023-05-01"},
        ],
    },
    "sarah_chomage": {
        "description": "Sarah perd son emploi : allocation chômage de 780 € depuis trois mois, inscrite à France "
        "Travail depuis août ; la CSS devient gratuite.",
        "mois": "2026-11",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 550},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Sarah",
                "naissance": "2001-03-15",
                "revenus": {
                    "salaire_net": [("2024-01", "2026-07", 1100), ("2026-08", "2026-11", 0)],
                    "salaire_imposable": [("2024-01", "2026-07", 1133), ("2026-08", "2026-11", 0)],
                    "chomage_net": [("2026-08", "2026-11", 780)],
                    "chomage_imposable": [("2026-08", "2026-11", 803)],
                },
                "chomage_depuis": "2026-08-03",
                "activite": [("2024-01", "2026-07", "actif"), ("2026-08", "2026-11", "chomeur")],
            },
            {"role": "enfant", "naissance": "2019-06-01"},
            {"role": "enfant", "naissance": "2023-05-01"},
        ],
    },
    "couple_trois_enfants_hlm": {
        "description": "Couple, trois enfants, logement social (430 €) ; lui salarié à 1 600 €, elle au chômage "
        "indemnisé depuis cinq mois.",
        "mois": "2026-06",
        "commune": "46042",
        "logement": {"statut": "locataire_hlm", "loyer": 430},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Karim",
                "naissance": "1985-01-05",
                "revenus": {
                    "salaire_net": [("2024-01", "2026-06", 1600)],
                    "salaire_imposable": [("2024-01", "2026-06", 1648)],
                },
                "activite": [("2024-01", "2026-06", "actif")],
            },
            {
                "role": "conjoint",
                "prenom": "Julie",
                "naissance": "1987-03-09",
                "revenus": {
                    "salaire_net": [("2024-01", "2025-12", 1200), ("2026-01", "2026-06", 0)],
                    "salaire_imposable": [("2024-01", "2025-12", 1236), ("2026-01", "2026-06", 0)],
                    "chomage_net": [("2026-01", "2026-06", 800)],
                    "chomage_imposable": [("2026-01", "2026-06", 824)],
                },
                "chomage_depuis": "2026-01-05",
                "activite": [("2024-01", "2025-12", "actif"), ("2026-01", "2026-06", "chomeur")],
            },
            {"role": "enfant", "naissance": "2012-09-01", "scolarite": "college"},
            {"role": "enfant", "naissance": "2016-02-01"},
            {"role": "enfant", "naissance": "2019-07-01"},
        ],
    },
    "chomage_sans_indemnite_heberge": {
        "description": "Homme seul hébergé gratuitement, inscrit à France Travail depuis plus d'un an, sans "
        "allocation ni revenu.",
        "mois": "2026-01",
        "commune": "46042",
        "logement": {"statut": "loge_gratuitement"},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Jean",
                "naissance": "1979-10-02",
                "chomage_depuis": "2024-10-01",
                "activite": [("2024-10", "2026-01", "chomeur")],
            },
        ],
    },
    "etudiante_meuble": {
        "description": "Étudiante de 21 ans en meublé (410 €), job étudiant à 500 € net.",
        "mois": "2025-09",
        "commune": "46042",
        "logement": {"statut": "locataire_meuble", "loyer": 410},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Inès",
                "naissance": "2004-02-11",
                "revenus": {
                    "salaire_net": [("2023-01", "2025-09", 500)],
                    "salaire_imposable": [("2023-01", "2025-09", 515)],
                },
                "etudiant": True,
                "activite": [("2023-01", "2025-09", "etudiant")],
            },
        ],
    },
    "aah_80_locataire": {
        "description": "Adulte seul de 45 ans, taux d'incapacité de 80 %, sans revenu, locataire (380 €).",
        "mois": "2026-06",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 380},
        "membres": [
            {"role": "demandeur", "prenom": "Paul", "naissance": "1981-04-20", "taux_incapacite": 80},
        ],
    },
    "aah_60_restriction": {
        "description": "Adulte seule, taux d'incapacité de 60 % avec restriction substantielle et durable d'accès "
        "à l'emploi, locataire HLM (350 €), sans revenu.",
        "mois": "2025-12",
        "commune": "46042",
        "logement": {"statut": "locataire_hlm", "loyer": 350},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Aïcha",
                "naissance": "1990-08-08",
                "taux_incapacite": 60,
                "restriction_substantielle": True,
            },
        ],
    },
    "mere_pension_alimentaire": {
        "description": "Mère seule, un enfant, salariée à 1 300 €, reçoit 150 € de pension alimentaire.",
        "mois": "2026-09",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 480},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Lucie",
                "naissance": "1992-12-01",
                "revenus": {
                    "salaire_net": [("2024-01", "2026-09", 1300)],
                    "salaire_imposable": [("2024-01", "2026-09", 1339)],
                    "pension_alimentaire": [("2024-01", "2026-09", 150)],
                },
                "activite": [("2024-01", "2026-09", "actif")],
            },
            {"role": "enfant", "naissance": "2015-04-01", "scolarite": "college"},
        ],
    },
    "pere_pension_versee_garde_alternee": {
        "description": "Père seul, salarié à 1 700 €, verse 250 € de pension alimentaire ; un enfant en garde "
        "alternée ; locataire (520 €).",
        "mois": "2026-01",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 520},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Thomas",
                "naissance": "1988-05-17",
                "revenus": {
                    "salaire_net": [("2024-01", "2026-01", 1700)],
                    "salaire_imposable": [("2024-01", "2026-01", 1751)],
                    "pension_alimentaire_versee": [("2024-01", "2026-01", 250)],
                },
                "activite": [("2024-01", "2026-01", "actif")],
            },
            {"role": "enfant", "naissance": "2017-09-12", "garde_alternee": True},
        ],
    },
    "couple_bebe_enceinte": {
        "description": "Couple avec un bébé né en mars 2026, elle enceinte à nouveau, lui salarié à 2 000 € ; "
        "locataires (600 €).",
        "mois": "2026-06",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 600},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Marc",
                "naissance": "1994-02-02",
                "revenus": {
                    "salaire_net": [("2024-01", "2026-06", 2000)],
                    "salaire_imposable": [("2024-01", "2026-06", 2060)],
                },
                "activite": [("2024-01", "2026-06", "actif")],
            },
            {"role": "conjoint", "prenom": "Léa", "naissance": "1996-07-07", "enceinte": True},
            {"role": "enfant", "naissance": "2026-03-10"},
        ],
    },
    "reprise_emploi": {
        "description": "Homme seul : un an de chômage indemnisé (900 €), puis un emploi à 1 400 € depuis octobre ; "
        "inscription à France Travail close fin septembre.",
        "mois": "2026-12",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 450},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Nicolas",
                "naissance": "1983-11-30",
                "revenus": {
                    "salaire_net": [
                        ("2024-01", "2025-09", 1500),
                        ("2025-10", "2026-09", 0),
                        ("2026-10", "2026-12", 1400),
                    ],
                    "salaire_imposable": [
                        ("2024-01", "2025-09", 1545),
                        ("2025-10", "2026-09", 0),
                        ("2026-10", "2026-12", 1442),
                    ],
                    "chomage_net": [("2025-10", "2026-09", 900), ("2026-10", "2026-12", 0)],
                    "chomage_imposable": [("2025-10", "2026-09", 927), ("2026-10", "2026-12", 0)],
                },
                "chomage_depuis": "2025-10-01",
                "chomage_jusqu_au": "2026-09-30",
                "inscrit_france_travail": False,
                "activite": [
                    ("2024-01", "2025-09", "actif"),
                    ("2025-10", "2026-09", "chomeur"),
                    ("2026-10", "2026-12", "actif"),
                ],
            },
        ],
    },
    "retraitee_aspa_proprietaire": {
        "description": "Veuve de 72 ans, propriétaire de sa maison, petite retraite de 650 € net : minimum "
        "vieillesse (ASPA).",
        "mois": "2026-12",
        "commune": "46042",
        "logement": {"statut": "proprietaire"},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Monique",
                "naissance": "1954-05-03",
                "revenus": {
                    "retraite_nette": [("2024-01", "2026-12", 650)],
                    "retraite_imposable": [("2024-01", "2026-12", 650)],
                },
                "activite": [("2024-01", "2026-12", "retraite")],
            },
        ],
    },
    "couple_retraites_locataires": {
        "description": "Couple de retraités de 68 et 66 ans, locataires (450 €), 900 € et 400 € de retraite nette.",
        "mois": "2026-06",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 450},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Pierre",
                "naissance": "1958-01-20",
                "revenus": {
                    "retraite_nette": [("2024-01", "2026-06", 900)],
                    "retraite_imposable": [("2024-01", "2026-06", 930)],
                },
                "activite": [("2024-01", "2026-06", "retraite")],
            },
            {
                "role": "conjoint",
                "prenom": "Odette",
                "naissance": "1960-03-02",
                "revenus": {
                    "retraite_nette": [("2024-01", "2026-06", 400)],
                    "retraite_imposable": [("2024-01", "2026-06", 400)],
                },
                "activite": [("2024-01", "2026-06", "retraite")],
            },
        ],
    },
    "fin_de_droits_ass": {
        "description": "Homme de 54 ans, fin de droits au chômage en juillet, inscrit à France Travail, a travaillé "
        "plus de 5 ans dans les 10 dernières années : ASS.",
        "mois": "2026-09",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 400},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Alain",
                "naissance": "1972-06-15",
                "revenus": {
                    "salaire_net": [("2024-01", "2024-07", 1600), ("2024-08", "2026-09", 0)],
                    "salaire_imposable": [("2024-01", "2024-07", 1648), ("2024-08", "2026-09", 0)],
                    "chomage_net": [("2024-08", "2026-07", 1050), ("2026-08", "2026-09", 0)],
                    "chomage_imposable": [("2024-08", "2026-07", 1080), ("2026-08", "2026-09", 0)],
                },
                "chomage_depuis": "2024-08-01",
                "condition_activite_ass": True,
                "activite": [("2024-01", "2024-07", "actif"), ("2024-08", "2026-09", "chomeur")],
            },
        ],
    },
    "enfant_handicape_80": {
        "description": "Couple, deux enfants dont un de 9 ans handicapé à 80 % avec un complément d'AEEH de "
        "catégorie 2 ; salaires de 1 800 € et 900 €.",
        "mois": "2025-12",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 650},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "David",
                "naissance": "1986-10-10",
                "revenus": {
                    "salaire_net": [("2023-01", "2025-12", 1800)],
                    "salaire_imposable": [("2023-01", "2025-12", 1854)],
                },
                "activite": [("2023-01", "2025-12", "actif")],
            },
            {
                "role": "conjoint",
                "prenom": "Sophie",
                "naissance": "1988-04-04",
                "revenus": {
                    "salaire_net": [("2023-01", "2025-12", 900)],
                    "salaire_imposable": [("2023-01", "2025-12", 927)],
                },
                "activite": [("2023-01", "2025-12", "actif")],
            },
            {
                "role": "enfant",
                "naissance": "2016-05-20",
                "taux_incapacite": 80,
                "complement_aeeh": 2,
                "handicap": True,
            },
            {"role": "enfant", "naissance": "2020-11-02", "taux_incapacite": 0},
        ],
    },
    "enfant_handicape_60_etablissement": {
        "description": "Mère seule, enfant de 12 ans handicapé à 60 % en établissement spécialisé, sans revenu "
        "d'activité ; logement social (380 €).",
        "mois": "2026-01",
        "commune": "46042",
        "logement": {"statut": "locataire_hlm", "loyer": 380},
        "membres": [
            {"role": "demandeur", "prenom": "Nadia", "naissance": "1984-09-09"},
            {
                "role": "enfant",
                "naissance": "2013-07-01",
                "taux_incapacite": 60,
                "soins_ou_etablissement_specialise": True,
                "handicap": True,
                "scolarite": "college",
            },
        ],
    },
    "mere_lyceen_boursier": {
        "description": "Mère seule, un lycéen de 16 ans, salariée à 1 250 € ; locataire (500 €).",
        "mois": "2026-09",
        "commune": "46042",
        "logement": {"statut": "locataire", "loyer": 500},
        "membres": [
            {
                "role": "demandeur",
                "prenom": "Claire",
                "naissance": "1982-02-14",
                "revenus": {
                    "salaire_net": [("2024-01", "2026-09", 1250)],
                    "salaire_imposable": [("2024-01", "2026-09", 1288)],
                },
                "activite": [("2024-01", "2026-09", "actif")],
            },
            {"role": "enfant", "naissance": "2010-03-03", "scolarite": "lycee"},
        ],
    },
}


# More households, written with two shorthands: an adult in work all along, and a child.
def worker(role, prenom, naissance, net, first, last, taxable=None):
    """An adult paid ``net`` each month from ``first`` to ``last`` (the month examined), in work all along."""
    taxable = taxable if taxable is not None else round(net * 1.03)
    return {
        "role": role,
        "prenom": prenom,
        "naissance": naissance,
        "revenus": {"salaire_net": [(first, last, net)], "salaire_imposable": [(first, last, taxable)]},
        "activite": [(first, last, "actif")],
    }


def child(naissance, **facts):
    return {"role": "enfant", "naissance": naissance, **facts}


CASES.update(
    {
        "couple_quatre_enfants_proprietaire_pret": {
            "description": "Couple, quatre enfants, propriétaires avec un prêt (mensualité de 700 €), un salaire de "
            "2 300 €.",
            "mois": "2026-01",
            "commune": "46042",
            "logement": {"statut": "primo_accedant", "loyer": 700},
            "membres": [
                worker("demandeur", "Yann", "1983-03-03", 2300, "2024-01", "2026-01"),
                {"role": "conjoint", "prenom": "Emma", "naissance": "1985-06-06"},
                child("2011-02-02", scolarite="lycee"),
                child("2013-05-05", scolarite="college"),
                child("2018-08-08"),
                child("2022-12-12"),
            ],
        },
        "pere_seul_bebe": {
            "description": "Père seul avec un bébé de 4 mois, salarié à 1 450 €, locataire (530 €).",
            "mois": "2026-06",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 530},
            "membres": [
                worker("demandeur", "Hugo", "1995-09-09", 1450, "2024-01", "2026-06"),
                child("2026-02-01"),
            ],
        },
        "couple_chomage_longue_duree": {
            "description": "Couple sans enfant, tous deux inscrits à France Travail depuis plus de deux ans, sans "
            "allocation ; logement social (320 €).",
            "mois": "2026-12",
            "commune": "46042",
            "logement": {"statut": "locataire_hlm", "loyer": 320},
            "membres": [
                {
                    "role": "demandeur",
                    "prenom": "Marcel",
                    "naissance": "1970-01-01",
                    "chomage_depuis": "2024-03-01",
                    "condition_activite_ass": False,
                    "activite": [("2024-03", "2026-12", "chomeur")],
                },
                {
                    "role": "conjoint",
                    "prenom": "Josiane",
                    "naissance": "1972-02-02",
                    "chomage_depuis": "2024-06-01",
                    "condition_activite_ass": False,
                    "activite": [("2024-06", "2026-12", "chomeur")],
                },
            ],
        },
        "fin_de_contrat_sans_inscription": {
            "description": "Femme seule dont le CDD a pris fin en septembre, pas (encore) inscrite à France "
            "Travail ; locataire (420 €).",
            "mois": "2025-12",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 420},
            "membres": [
                {
                    "role": "demandeur",
                    "prenom": "Chloé",
                    "naissance": "1997-07-07",
                    "revenus": {
                        "salaire_net": [("2023-01", "2025-09", 1350), ("2025-10", "2025-12", 0)],
                        "salaire_imposable": [("2023-01", "2025-09", 1390), ("2025-10", "2025-12", 0)],
                    },
                    "activite": [("2023-01", "2025-09", "actif")],
                },
            ],
        },
        "mere_trois_enfants_sans_revenu": {
            "description": "Mère seule, trois enfants, sans revenu, hébergée gratuitement chez un parent.",
            "mois": "2025-09",
            "commune": "46042",
            "logement": {"statut": "loge_gratuitement"},
            "membres": [
                {"role": "demandeur", "prenom": "Samira", "naissance": "1991-11-11"},
                child("2012-01-15", scolarite="college"),
                child("2016-03-15"),
                child("2021-10-15"),
            ],
        },
        "jeune_heberge_petit_salaire": {
            "description": "Jeune homme de 26 ans hébergé gratuitement, salarié à temps partiel à 700 €.",
            "mois": "2026-09",
            "commune": "46042",
            "logement": {"statut": "loge_gratuitement"},
            "membres": [worker("demandeur", "Kevin", "2000-04-04", 700, "2024-01", "2026-09")],
        },
        "couple_aah_80_conjoint_salarie": {
            "description": "Couple : lui handicapé à 80 % sans revenu, elle salariée à 1 500 € ; locataires (500 €).",
            "mois": "2026-06",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 500},
            "membres": [
                {"role": "demandeur", "prenom": "Bernard", "naissance": "1975-05-05", "taux_incapacite": 80},
                worker("conjoint", "Agnès", "1977-07-07", 1500, "2024-01", "2026-06"),
            ],
        },
        "couple_etudiants": {
            "description": "Couple d'étudiants de 22 et 23 ans en meublé (520 €), elle a un job à 400 €.",
            "mois": "2025-12",
            "commune": "46042",
            "logement": {"statut": "locataire_meuble", "loyer": 520},
            "membres": [
                {
                    **worker("demandeur", "Manon", "2003-01-01", 400, "2023-01", "2025-12"),
                    "etudiant": True,
                    "activite": [("2023-01", "2025-12", "etudiant")],
                },
                {
                    "role": "conjoint",
                    "prenom": "Lucas",
                    "naissance": "2002-02-02",
                    "etudiant": True,
                    "activite": [("2023-01", "2025-12", "etudiant")],
                },
            ],
        },
        "seul_hlm_salaire_smic": {
            "description": "Homme seul au SMIC (1 430 € net), logement social (360 €).",
            "mois": "2026-12",
            "commune": "46042",
            "logement": {"statut": "locataire_hlm", "loyer": 360},
            "membres": [worker("demandeur", "Julien", "1990-10-10", 1430, "2024-01", "2026-12")],
        },
        "couple_deux_enfants_un_chomage_recent": {
            "description": "Couple, deux enfants ; elle vient de perdre son emploi (allocation de 950 € depuis "
            "novembre), lui salarié à 1 700 € ; locataires (620 €).",
            "mois": "2026-12",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 620},
            "membres": [
                worker("demandeur", "Olivier", "1984-04-04", 1700, "2024-01", "2026-12"),
                {
                    "role": "conjoint",
                    "prenom": "Sandrine",
                    "naissance": "1986-06-06",
                    "revenus": {
                        "salaire_net": [("2024-01", "2026-10", 1350), ("2026-11", "2026-12", 0)],
                        "salaire_imposable": [("2024-01", "2026-10", 1390), ("2026-11", "2026-12", 0)],
                        "chomage_net": [("2026-11", "2026-12", 950)],
                        "chomage_imposable": [("2026-11", "2026-12", 978)],
                    },
                    "chomage_depuis": "2026-11-02",
                    "activite": [("2024-01", "2026-10", "actif"), ("2026-11", "2026-12", "chomeur")],
                },
                child("2014-09-09", scolarite="college"),
                child("2019-09-09"),
            ],
        },
        "retraite_inapte_63": {
            "description": "Homme de 63 ans reconnu inapte au travail, petite retraite de 500 €, locataire (350 €).",
            "mois": "2026-09",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 350},
            "membres": [
                {
                    "role": "demandeur",
                    "prenom": "Gérard",
                    "naissance": "1963-02-02",
                    "inapte_travail": True,
                    "revenus": {
                        "retraite_nette": [("2024-01", "2026-09", 500)],
                        "retraite_imposable": [("2024-01", "2026-09", 500)],
                    },
                    "activite": [("2024-01", "2026-09", "retraite")],
                },
            ],
        },
        "mere_pension_alimentaire_deux_enfants_chomage": {
            "description": "Mère seule, deux enfants, au chômage indemnisé (850 €) depuis un an, reçoit 300 € de "
            "pension alimentaire ; locataire (560 €).",
            "mois": "2026-01",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 560},
            "membres": [
                {
                    "role": "demandeur",
                    "prenom": "Élodie",
                    "naissance": "1989-08-08",
                    "revenus": {
                        "salaire_net": [("2024-01", "2024-12", 1400), ("2025-01", "2026-01", 0)],
                        "salaire_imposable": [("2024-01", "2024-12", 1442), ("2025-01", "2026-01", 0)],
                        "chomage_net": [("2025-01", "2026-01", 850)],
                        "chomage_imposable": [("2025-01", "2026-01", 875)],
                        "pension_alimentaire": [("2024-01", "2026-01", 300)],
                    },
                    "chomage_depuis": "2025-01-06",
                    "activite": [("2024-01", "2024-12", "actif"), ("2025-01", "2026-01", "chomeur")],
                },
                child("2013-03-03", scolarite="college"),
                child("2017-07-07"),
            ],
        },
    }
)


def job_seeker(role, prenom, naissance, since, benefit, first, last, salary=None, daily=None):
    """An adult paid ``salary`` until the month before ``since``, then registered at France Travail, with
    ``benefit`` a month (ARE, ``daily`` a day gross) until ``last``, the month examined."""
    before = f"{int(since[:4]) - (since[5:7] == '01')}-{12 if since[5:7] == '01' else int(since[5:7]) - 1:02d}"
    revenus = {}
    activite = [(since[:7], last, "chomeur")]
    if salary:
        revenus["salaire_net"] = [(first, before, salary), (since[:7], last, 0)]
        revenus["salaire_imposable"] = [(first, before, round(salary * 1.03)), (since[:7], last, 0)]
        activite.insert(0, (first, before, "actif"))
    if benefit:
        revenus["chomage_net"] = [(since[:7], last, benefit)]
        revenus["chomage_imposable"] = [(since[:7], last, round(benefit * 1.03))]
    out = {
        "role": role,
        "prenom": prenom,
        "naissance": naissance,
        "revenus": revenus,
        "chomage_depuis": since,
        "activite": activite,
        "categorie_france_travail": "categorie_1",
    }
    if daily is not None:
        out["allocation_journaliere"] = daily
    return out


def starts_job(member, month, debut, contrat, heures, duree=None):
    """The person takes a job (AGEPI): on the OpenFisca side, asked on the first day of the month examined, for a
    job in metropolitan France."""
    job = {"debut": debut, "contrat": contrat, "heures_semaine": heures}
    if duree is not None:
        job["duree_mois"] = duree
    return {**member, "nouvel_emploi": job, "lieu_emploi": "metropole_hors_corse", "demande_agepi": f"{month}-01"}


CASES.update(
    {
        "sarah_reprise_emploi_agepi": {
            "description": "Sarah, au chômage (780 € d'ARE, 26 € par jour) depuis août, reprend un CDD de 6 mois à "
            "24 heures par semaine le 16 novembre ; sa fille de 3 ans va chez une assistante maternelle.",
            "mois": "2026-11",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 550},
            "membres": [
                starts_job(
                    job_seeker(
                        "demandeur", "Sarah", "2001-03-15", "2026-08-03", 780, "2024-01", "2026-11", 1100, 26.0
                    ),
                    "2026-11",
                    "2026-11-16",
                    "cdd",
                    24,
                    6,
                ),
                child("2019-06-01"),
                child("2023-05-01", mode_de_garde="emploi_direct"),
            ],
        },
        "pere_seul_agepi_are_elevee": {
            "description": "Père seul d'un enfant de 8 ans, au chômage indemnisé (1 400 €, 52 € par jour) depuis "
            "janvier, reprend un CDI à temps plein en juin : son allocation dépasse le minimum, pas d'AGEPI.",
            "mois": "2026-06",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 600},
            "membres": [
                starts_job(
                    job_seeker(
                        "demandeur", "Thomas", "1988-02-02", "2026-01-05", 1400, "2024-01", "2026-06", 2000, 52.0
                    ),
                    "2026-06",
                    "2026-06-15",
                    "cdi",
                    35,
                ),
                child("2018-04-04"),
            ],
        },
        "mere_agepi_temps_partiel": {
            "description": "Mère seule de deux enfants, inscrite à France Travail sans allocation depuis juin 2025, "
            "reprend un CDI de 12 heures par semaine en septembre ; le plus jeune est en crèche.",
            "mois": "2026-09",
            "commune": "46042",
            "logement": {"statut": "locataire_hlm", "loyer": 380},
            "membres": [
                {
                    **starts_job(
                        job_seeker("demandeur", "Nadia", "1993-09-09", "2025-06-01", 0, "2024-01", "2026-09"),
                        "2026-09",
                        "2026-09-07",
                        "cdi",
                        12,
                    ),
                    "condition_activite_ass": False,
                },
                child("2017-01-01"),
                child("2024-02-02", mode_de_garde="creche"),
            ],
        },
        "mere_agepi_cdd_deux_mois": {
            "description": "Mère seule, au chômage indemnisé (650 €) depuis juillet, reprend un CDD de 2 mois en "
            "décembre : trop court pour l'AGEPI ; son fils de 5 ans va chez une assistante maternelle.",
            "mois": "2026-12",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 500},
            "membres": [
                starts_job(
                    job_seeker("demandeur", "Inès", "1990-10-10", "2026-07-01", 650, "2024-01", "2026-12", 1000, 21.5),
                    "2026-12",
                    "2026-12-01",
                    "cdd",
                    35,
                    2,
                ),
                child("2021-03-03", mode_de_garde="emploi_direct"),
            ],
        },
        "couple_agepi_non_isole": {
            "description": "Couple propriétaire : lui salarié à 1 700 €, elle au chômage (700 €) reprend un CDI de "
            "30 heures en juin ; l'AGEPI est réservée aux parents isolés.",
            "mois": "2026-06",
            "commune": "46042",
            "logement": {"statut": "proprietaire"},
            "membres": [
                worker("demandeur", "Marc", "1986-05-05", 1700, "2024-01", "2026-06"),
                starts_job(
                    job_seeker("conjoint", "Aline", "1989-08-08", "2026-02-01", 700, "2024-01", "2026-06", 1100, 23.0),
                    "2026-06",
                    "2026-06-08",
                    "cdi",
                    30,
                ),
                child("2020-01-01", mode_de_garde="parents"),
            ],
        },
        "couple_garde_domicile_bebe": {
            "description": "Couple de salariés (2 500 € et 2 000 €), locataires à 800 €, un bébé né en octobre 2025 "
            "gardé à domicile.",
            "mois": "2026-09",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 800},
            "membres": [
                worker("demandeur", "Hugo", "1990-01-20", 2500, "2024-01", "2026-09"),
                worker("conjoint", "Chloé", "1991-04-14", 2000, "2024-01", "2026-09"),
                child("2025-10-15", mode_de_garde="garde_domicile"),
            ],
        },
        "mere_micro_creche": {
            "description": "Mère seule salariée à 1 500 €, sa fille de 4 ans en micro-crèche.",
            "mois": "2026-06",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 520},
            "membres": [
                worker("demandeur", "Laura", "1994-12-01", 1500, "2024-01", "2026-06"),
                child("2022-02-20", mode_de_garde="structure"),
            ],
        },
        "couple_assmat_parent_inactif": {
            "description": "Couple en logement social : lui salarié à 1 900 €, elle sans activité ; leur enfant de "
            "16 mois chez une assistante maternelle n'ouvre pas le CMG.",
            "mois": "2026-01",
            "commune": "46042",
            "logement": {"statut": "locataire_hlm", "loyer": 450},
            "parent_inactif": True,
            "membres": [
                worker("demandeur", "Samir", "1987-07-07", 1900, "2024-01", "2026-01"),
                {"role": "conjoint", "prenom": "Yasmina", "naissance": "1992-02-29"},
                child("2024-09-01", mode_de_garde="emploi_direct"),
            ],
        },
        "enfant_vingt_ans": {
            "description": "Couple propriétaire, trois enfants dont l'aîné a 20 ans en juin : il sort des "
            "allocations familiales ce mois-là.",
            "mois": "2026-06",
            "commune": "46042",
            "logement": {"statut": "proprietaire"},
            "membres": [
                worker("demandeur", "Olivier", "1976-03-03", 1600, "2024-01", "2026-06"),
                worker("conjoint", "Sandrine", "1978-09-09", 1300, "2024-01", "2026-06"),
                child("2006-06-10"),
                child("2009-03-03", scolarite="lycee"),
                child("2012-12-12", scolarite="college"),
            ],
        },
        "separation_pension": {
            "description": "Claire, séparée en septembre : salariée à 1 300 €, elle reçoit 250 € de pension "
            "alimentaire depuis pour ses deux enfants, locataire à 600 €.",
            "mois": "2026-12",
            "commune": "46042",
            "logement": {"statut": "locataire", "loyer": 600},
            "membres": [
                {
                    **worker("demandeur", "Claire", "1986-11-11", 1300, "2024-01", "2026-12"),
                    "revenus": {
                        "salaire_net": [("2024-01", "2026-12", 1300)],
                        "salaire_imposable": [("2024-01", "2026-12", 1339)],
                        "pension_alimentaire": [("2024-01", "2026-08", 0), ("2026-09", "2026-12", 250)],
                    },
                },
                child("2015-05-05", scolarite="college"),
                child("2018-08-08"),
            ],
        },
        "demenagement_toulouse": {
            "description": "Jeune couple qui a déménagé à Toulouse (loyer 750 €) : lui salarié à 1 450 €, elle "
            "étudiante.",
            "mois": "2026-09",
            "commune": "31555",
            "logement": {"statut": "locataire", "loyer": 750},
            "membres": [
                worker("demandeur", "Lucas", "2000-06-06", 1450, "2024-01", "2026-09"),
                {
                    "role": "conjoint",
                    "prenom": "Manon",
                    "naissance": "2003-03-03",
                    "etudiant": True,
                    "activite": [("2024-01", "2026-09", "etudiant")],
                },
            ],
        },
        "veuf_aspa_heberge": {
            "description": "Veuf de 69 ans hébergé gratuitement par sa fille, retraite de 750 € : ASPA.",
            "mois": "2026-12",
            "commune": "46042",
            "logement": {"statut": "loge_gratuitement"},
            "membres": [
                {
                    "role": "demandeur",
                    "prenom": "Robert",
                    "naissance": "1957-05-05",
                    "revenus": {
                        "retraite_nette": [("2024-01", "2026-12", 750)],
                        "retraite_imposable": [("2024-01", "2026-12", 772)],
                    },
                    "activite": [("2024-01", "2026-12", "retraite")],
                },
            ],
        },
    }
)
