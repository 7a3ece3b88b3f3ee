"""Bench corpus, the Portuguese and French hosts: the words a Brazilian news site and a
francophone West African one print, and the norms they cite, spelled as their gazettes do.

Data and one draw: `foreign_citation(rng, country)` gives a norm key of Brazil, Côte d'Ivoire or
Mali and one real-shaped spelling of it ("Decreto nº 9.937, de 24 de julho de 2019", "Lei
13.709/18", "Loi n° 2014-388 du 20 juin 2014", "Décret N°2020-0087/P-RM"), so figure 5b
measures the grammars those pages need with the spellings they really carry.
"""

from __future__ import annotations

import random

PT_SUBJECTS = (
    "O Ministério dos Direitos Humanos e da Cidadania", "A Defensoria Pública da União",
    "O Supremo Tribunal Federal", "O Conselho Nacional dos Direitos Humanos",
    "Organizações indígenas do Pará", "A comissão de Direitos Humanos da Câmara",
    "O governo do estado do Maranhão", "Lideranças quilombolas", "A Procuradoria-Geral",
)  # fmt: skip
PT_VERBS = ("anunciou", "publicou", "criticou", "aprovou", "defendeu", "cobrou", "revisou")
PT_OBJECTS = (
    "o programa de proteção aos defensores", "novas medidas de proteção", "o plano nacional",
    "a regulamentação pendente", "um relatório sobre conflitos no campo", "o orçamento anual",
)  # fmt: skip
PT_TAILS = (
    "em Brasília", "após semanas de negociação", "segundo fontes do governo",
    "diante da pressão da sociedade civil", "em sessão extraordinária", "no estado do {place}",
)  # fmt: skip
PT_PLACES = ("Pará", "Maranhão", "Amazonas", "Rondônia", "Mato Grosso", "Bahia", "Acre")
PT_FILLER = (
    "Segundo o último levantamento, o número de ameaças registradas cresceu em relação ao ano"
    " anterior, sobretudo em áreas de conflito agrário.",
    "Entidades da sociedade civil saudaram a medida, mas alertaram que sua aplicação dependerá"
    " dos recursos destinados ao programa.",
    "O texto também fixa prazos para que os órgãos competentes adaptem seus procedimentos"
    " internos às novas regras.",
)
FR_SUBJECTS = (
    "Le ministère de la Justice et des Droits de l'Homme", "La Commission nationale des droits"
    " de l'homme", "L'Assemblée nationale", "La Coalition des défenseurs des droits humains",
    "Le gouvernement", "Les organisations de la société civile", "Le Conseil des ministres",
    "Le Réseau ouest-africain des défenseurs", "Le Médiateur de la République",
)  # fmt: skip
FR_VERBS = ("a annoncé", "a adopté", "a critiqué", "a publié", "a salué", "a examiné", "a exigé")
FR_OBJECTS = (
    "le mécanisme de protection des défenseurs", "un nouveau décret d'application",
    "les mesures de protection", "le plan d'action national", "un rapport sur les libertés",
    "le budget de l'exercice", "la carte professionnelle des défenseurs",
)  # fmt: skip
FR_TAILS = (
    "à {place}", "après plusieurs semaines de consultations", "selon des sources officielles",
    "malgré les critiques de l'opposition", "lors d'une session extraordinaire",
)  # fmt: skip
FR_PLACES = ("Abidjan", "Bamako", "Ouagadougou", "Niamey", "Bouaké", "Korhogo", "Sikasso")
FR_FILLER = (
    "Selon le dernier rapport, le nombre de menaces signalées a augmenté par rapport à l'année"
    " précédente, notamment dans les zones d'orpaillage.",
    "Les organisations ont salué la mesure, tout en rappelant que son application dépendra des"
    " moyens alloués au mécanisme.",
    "Le texte fixe également des délais pour que les administrations concernées adaptent leurs"
    " procédures internes.",
)
PT_MONTHS = (
    "janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
    "outubro", "novembro", "dezembro",
)  # fmt: skip
FR_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
PT_NAV = ("Política", "Economia", "Brasil", "Mundo", "Esportes", "Cultura", "Opinião", "Vídeos")
FR_NAV = ("Politique", "Économie", "Société", "International", "Sport", "Culture", "Opinions")
PT_COOKIE = "Usamos cookies para melhorar sua experiência. Ao continuar, você aceita a política."
FR_COOKIE = "Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience."
# Per language: (subjects, verbs, objects, tails, fillers, places, months, nav, cookie, accept,
# "as set out in", "was discussed again", "Most read", "Home").
WORDS = {
    "pt": (PT_SUBJECTS, PT_VERBS, PT_OBJECTS, PT_TAILS, PT_FILLER, PT_PLACES, PT_MONTHS, PT_NAV,
           PT_COOKIE, "Aceitar", "nos termos do", " voltou a ser discutido.", "Mais lidas",
           "Início"),
    "fr": (FR_SUBJECTS, FR_VERBS, FR_OBJECTS, FR_TAILS, FR_FILLER, FR_PLACES, FR_MONTHS, FR_NAV,
           FR_COOKIE, "Accepter", "conformément à", " a de nouveau été discuté.", "Les plus lus",
           "Accueil"),
}  # fmt: skip


def _pt_number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _br(rng: random.Random) -> tuple[str, str]:
    """A Brazilian federal decree or law with one of the spellings the DOU and the press use."""
    law = rng.random() < 0.4
    number = rng.randint(13_000, 14_900) if law else rng.randint(9_000, 12_300)
    year = rng.randint(2017, 2024)
    day, month = rng.randint(1, 28), rng.randrange(12)
    kind = "Lei" if law else "Decreto"
    spellings = (
        f"{kind} nº {_pt_number(number)}, de {day} de {PT_MONTHS[month]} de {year}",
        f"{kind.upper()} Nº {_pt_number(number)}, DE {day} DE {PT_MONTHS[month].upper()} DE {year}",
        f"{kind} nº {_pt_number(number)}/{year}",
        f"{kind} {_pt_number(number)}/{year % 100:02d}",
        f"{kind} nº {_pt_number(number)}, de {day}/{month + 1}/{year}",
        f"{kind} n.º {_pt_number(number)}, de {year}",
    )
    return f"BR:{'LEI' if law else 'DEC'}|{number}|{year}|", rng.choice(spellings)


def _ci(rng: random.Random) -> tuple[str, str]:
    """An Ivorian law or decree: the year first, the date after."""
    law = rng.random() < 0.5
    year, number = rng.randint(2012, 2024), rng.randint(1, 900)
    day, month = rng.randint(1, 28), FR_MONTHS[rng.randrange(12)]
    kind = "Loi" if law else "Décret"
    spellings = (
        f"{kind} n° {year}-{number} du {day} {month} {year}",
        f"{kind.lower()} n°{year}-{number}",
        f"{kind.upper()} N° {year}-{number} DU {day} {month.upper()} {year}",
    )
    return f"CI:{'LOI' if law else 'DECRET'}|{number}|{year}|", rng.choice(spellings)


def _ml(rng: random.Random) -> tuple[str, str]:
    """A Malian law (three digits) or decree (four digits, the President's office after it)."""
    law = rng.random() < 0.4
    year, number = rng.randint(2015, 2024), rng.randint(1, 400 if law else 900)
    if law:
        return f"ML:LOI|{number}|{year}|", rng.choice(
            (f"Loi N°{year}-{number:03d}", f"loi n° {year}-{number:03d} du 12 janvier {year}")
        )
    decree = f"{year}-{number:04d}/P-RM"
    spelling = rng.choice((f"Décret N°{decree}", f"décret n° {decree}"))
    return f"ML:DECRET|{number}|{year}|P-RM", spelling


def foreign_citation(rng: random.Random, country: str) -> tuple[str, str]:
    """(key, spelling) of a norm of `country` (BR, CI or ML)."""
    return {"BR": _br, "CI": _ci, "ML": _ml}[country](rng)
