"""Norm grammars beyond Peru and Colombia: the hard forms real gazettes print (year first, two-
and three-digit years, issuing bodies after the number, thousands separators, dates inside the
citation, each language's number markers), what is not a norm (bills, gazette issues, UN
resolutions, laws cited by name), and the public helpers (parse_citation, type_name,
issuer_name, countries). Spellings are modelled on real ones (sources in eval/norms/)."""

from __future__ import annotations

import pytest

from pipeline.extract.countries import country_languages, country_name, is_country
from pipeline.extract.norms import (
    display_for_key,
    find_norms,
    issuer_name,
    parse_citation,
    parse_key,
    type_name,
)
from pipeline.extract.scanner import grammar_for

# (country, text, key of the first mention, its raw text, its date)
HARD_FORMS = [
    # The year first: number 388 of 2014, not number 2014.
    ("CI", "Vu la Loi n° 2014-388 du 20 juin 2014 portant", "CI:LOI|388|2014|",
     "Loi n° 2014-388 du 20 juin 2014", "2014-06-20"),
    ("ML", "la Loi N°2018-003 relative", "ML:LOI|3|2018|", "Loi N°2018-003", ""),
    ("ML", "Décret N°2020-0087/P-RM fixant", "ML:DECRET|87|2020|P-RM",
     "Décret N°2020-0087/P-RM", ""),
    ("NE", "la Loi n°2022-27 du 20 juin 2022", "NE:LOI|27|2022|",
     "Loi n°2022-27 du 20 juin 2022", "2022-06-20"),
    ("NE", "l'ordonnance n° 93-16 du 2 mars 1993", "NE:ORDONNANCE|16|1993|",
     "ordonnance n° 93-16 du 2 mars 1993", "1993-03-02"),
    ("CI", "la loi N°2014 388 sur la promotion", "CI:LOI|388|2014|", "loi N°2014 388", ""),
    # Two- and three-digit years.
    ("CD", "la Loi n° 23/027 du 15 juin 2023", "CD:LOI|27|2023|",
     "Loi n° 23/027 du 15 juin 2023", "2023-06-15"),
    ("CD", "la Loi n° 88/022 du 29 janvier 1988", "CD:LOI|22|1988|",
     "Loi n° 88/022 du 29 janvier 1988", "1988-01-29"),
    ("AR", "el DECRETO 99/19 dispuso", "AR:DEC|99|2019|", "DECRETO 99/19", ""),
    ("AR", "el Dto. 361/19", "AR:DEC|361|2019|", "Dto. 361/19", ""),
    ("UY", "el Decreto Nº 94/010 reglamenta", "UY:DEC|94|2010|", "Decreto Nº 94/010", ""),
    ("BR", "a Lei 13.709/18 dispõe", "BR:LEI|13709|2018|", "Lei 13.709/18", ""),
    ("HN", "DECRETO No.283-98", "HN:DEC|283|1998|", "DECRETO No.283-98", ""),
    # Issuing bodies after the year, in the middle, or glued as a type.
    ("BF", "la Loi n° 039-2017/AN relative", "BF:LOI|39|2017|AN", "Loi n° 039-2017/AN", ""),
    ("BF", "Décret n° 2018-0123/PRES/PM/MJDHPC", "BF:DECRET|123|2018|PRES/PM/MJDHPC",
     "Décret n° 2018-0123/PRES/PM/MJDHPC", ""),
    ("EC", "la Resolución No. 077-DPE-CGAJ-2019", "EC:RES|77|2019|DPE-CGAJ",
     "Resolución No. 077-DPE-CGAJ-2019", ""),
    ("EC", "la Resolución No. 291-2016-F de 28 de octubre de 2016", "EC:RES|291|2016|F",
     "Resolución No. 291-2016-F de 28 de octubre de 2016", "2016-10-28"),
    ("HN", "mediante Decreto Ejecutivo PCM-017-2015", "HN:PCM|17|2015|",
     "Decreto Ejecutivo PCM-017-2015", ""),
    ("HN", "el PCM-017-2015 declaró", "HN:PCM|17|2015|", "PCM-017-2015", ""),
    ("HN", "Acuerdo No. 2188-SE-2014", "HN:ACU|2188|2014|SE", "Acuerdo No. 2188-SE-2014", ""),
    ("CI", "Arrêté interministériel N°972/MJDH/MEMD/MIS du 10 novembre 2021",
     "CI:ARRETE|972|2021|MJDH/MEMD/MIS",
     "Arrêté interministériel N°972/MJDH/MEMD/MIS du 10 novembre 2021", "2021-11-10"),
    ("CD", "Arrêté ministériel n°048/CAB/ VPM/METPS/2015 modifiant",
     "CD:ARRETE|48|2015|CAB/VPM/METPS", "Arrêté ministériel n°048/CAB/ VPM/METPS/2015", ""),
    ("CD", "Décret n° 052-B/2003 rapportant", "CD:DECRET|52-B|2003|", "Décret n° 052-B/2003", ""),
    ("MX", "NORMA Oficial Mexicana NOM-004-SSA1-2013, Salud", "MX:NOM|4|2013|SSA1",
     "NORMA Oficial Mexicana NOM-004-SSA1-2013", ""),
    ("GT", "el Acuerdo Gubernativo 198-2025 entra", "GT:ACU-GUB|198|2025|",
     "Acuerdo Gubernativo 198-2025", ""),
    # Thousands separators.
    ("BR", "o Decreto nº 10.815/2021", "BR:DEC|10815|2021|", "Decreto nº 10.815/2021", ""),
    # Brazil's ministries number their own portarias: the body before the number is the issuer
    ("BR", "a Portaria MMFDH nº 507, de 2022, institui", "BR:PORT|507|2022|MMFDH",
     "Portaria MMFDH nº 507, de 2022", ""),
    ("CL", "LEY NÚM. 21.366", "CL:LEY|21366||", "LEY NÚM. 21.366", ""),
    ("AR", "la Ley 27.541 de Solidaridad", "AR:LEY|27541||", "Ley 27.541", ""),
    ("CL", "el decreto N° 2.421, de 1964", "CL:DEC|2421|1964|", "decreto N° 2.421, de 1964", ""),
    # Dates inside the citation.
    ("BR", "Altera o Decreto nº 9.937, de 24 de julho de 2019, que", "BR:DEC|9937|2019|",
     "Decreto nº 9.937, de 24 de julho de 2019", "2019-07-24"),
    ("BR", "pelo Decreto nº 10.815, de 27/9/2021)", "BR:DEC|10815|2021|",
     "Decreto nº 10.815, de 27/9/2021", "2021-09-27"),
    ("CO", "el Decreto 2137 de 2018", "CO:DEC|2137|2018|", "Decreto 2137 de 2018", ""),
    ("ES", "la Ley 39/2015, de 1 de octubre, del", "ES:LEY|39|2015|",
     "Ley 39/2015, de 1 de octubre", "2015-10-01"),
    ("ML", "Law No. 2018-003 of January 12, 2018 on", "ML:LOI|3|2018|",
     "Law No. 2018-003 of January 12, 2018", "2018-01-12"),
    ("NE", "by Decree No. 2010-754/PCSRD of 25 November 2010 and", "NE:DECRET|754|2010|PCSRD",
     "Decree No. 2010-754/PCSRD of 25 November 2010", "2010-11-25"),
    # Years in words.
    ("ID", "Undang-Undang Nomor 39 Tahun 1999 tentang", "ID:UU|39|1999|",
     "Undang-Undang Nomor 39 Tahun 1999", ""),
    ("ID", "Komnas HAM Regulation No. 5 of 2015", "ID:PERKOM|5|2015|",
     "Komnas HAM Regulation No. 5 of 2015", ""),
    ("PH", "EXECUTIVE ORDER NO. 70 (S. 2018) on", "PH:EO|70|2018|",
     "EXECUTIVE ORDER NO. 70 (S. 2018)", ""),
    ("PH", "Republic Act No. 9745, otherwise", "PH:RA|9745||", "Republic Act No. 9745", ""),
    # "may" after a number is the modal verb, not the month: English writes "May"
    ("PH", "Republic Act No. 9745 may be invoked", "PH:RA|9745||", "Republic Act No. 9745", ""),
    ("KE", "Act No. 13 MAY BE CITED", "KE:LAW|13||", "Act No. 13", ""),
    ("KE", "the Act No. 13 of 2019", "KE:LAW|13|2019|", "Act No. 13 of 2019", ""),
]  # fmt: skip


@pytest.mark.parametrize(("country", "text", "key", "raw", "date"), HARD_FORMS)
def test_hard_forms(country: str, text: str, key: str, raw: str, date: str) -> None:
    first = find_norms(text, country)[0]
    assert (first.key, first.raw, first.date) == (key, raw, date)
    assert text[first.start : first.end] == first.raw


# Each language's number markers, with a grammar that prints them.
MARKERS = [
    ("PE", "Decreto Supremo N° 004-2021-JUS", "DS|4|2021|JUS"),
    ("CL", "Ley Nº 21.430", "CL:LEY|21430||"),
    ("PT", "Lei N.º 7/2009", "PT:LEI|7|2009|"),
    ("PT", "Lei n.º 7/2009", "PT:LEI|7|2009|"),
    ("HN", "Decreto No. 34-2015", "HN:DEC|34|2015|"),
    ("PE", "Ordenanza Nro. 604-2020-MM", "ORD|604|2020|MM"),
    ("CL", "Ley Núm. 21.366", "CL:LEY|21366||"),
    ("CL", "LEY NÚM. 21.366", "CL:LEY|21366||"),
    ("GT", "Decreto Número 1-2012", "GT:DEC|1|2012|"),
    ("BR", "Decreto nº 9.937/2019", "BR:DEC|9937|2019|"),
    ("NE", "Loi n° 2022-27", "NE:LOI|27|2022|"),
    ("CD", "Arrêté ministériel n 593/CAB/MIN/ J&DH/2012", "CD:ARRETE|593|2012|CAB/MIN/J&DH"),
    ("ID", "UU No. 39 Tahun 1999", "ID:UU|39|1999|"),
]


@pytest.mark.parametrize(("country", "text", "key"), MARKERS)
def test_number_markers(country: str, text: str, key: str) -> None:
    assert [m.key for m in find_norms(text, country)] == [key]


NOT_NORMS = [
    ("BR", "o PL 4575/2009 cria o programa"),  # a bill
    ("BR", "o Projeto de Lei nº 4.575/2009 cria o programa"),
    ("PH", "House Bill No. 10576 and Senate Bill No. 1699"),
    ("PH", "HB 10576, entitled An Act Defining the Rights"),
    ("HN", "publicado en La Gaceta No. 33,730 del 15 de mayo"),  # the gazette's issue
    ("CO", "Diario Oficial (D.O. 48.294)"),
    ("BR", "DOU 25/07/2019, Publicado em: 25/07/2019"),
    ("EC", "Registro Oficial Suplemento N° 225 de 2019"),
    ("KE", "General Assembly resolution 53/144 (A/RES/53/144)"),  # the UN's
    ("BO", "la resolución 53/144 de la Asamblea General"),
    ("CI", "Vu la Résolution 1765 (2007) du Conseil de Sécurité"),
    ("SN", "le projet de loi 4575/2009 créant"),
    ("NE", "COMMUNIQUE N° 015 /CM/2022"),
    ("MX", "Publicado en el P.O. No. 064 del 27 de Mayo de 2022"),
    ("MX", "Ley para la Protección de Personas Defensoras de Derechos Humanos y Periodistas"),
    ("MX", "Última reforma publicada DOF 20-05-2021; DOF: 25/06/2012"),
    ("MN", "the Law on the Legal Status of Human Rights Defenders of 2 April 2021"),
    ("ID", "RUU Perlindungan Pembela HAM; Rancangan Undang-Undang Nomor 5"),
    ("KE", "the Act 12 May 2019 sitting"),  # a date after a type word, capitalised as months are
    ("KE", "Law 12 MAY 2019"),
]


@pytest.mark.parametrize(("country", "text"), NOT_NORMS)
def test_what_is_not_a_norm(country: str, text: str) -> None:
    assert find_norms(text, country) == []


@pytest.mark.parametrize(
    ("country", "citation", "key"),
    [
        ("CI", "Loi n° 2014-388 du 20 juin 2014", "CI:LOI|388|2014|"),
        ("BR", "Decreto nº 9.937, de 24 de julho de 2019", "BR:DEC|9937|2019|"),
        ("HN", "Decreto No. 34-2015", "HN:DEC|34|2015|"),
        ("HN", "  «Decreto No. 34-2015».", "HN:DEC|34|2015|"),  # quotes an editor copied
        ("BF", "Loi n° 039-2017/AN portant protection des défenseurs", "BF:LOI|39|2017|AN"),
        ("PE", "Decreto Supremo N° 004-2021-JUS", "DS|4|2021|JUS"),
    ],
)
def test_parse_citation_reads_what_editors_copy(country: str, citation: str, key: str) -> None:
    mention = parse_citation(citation, country)
    assert mention is not None and mention.key == key


@pytest.mark.parametrize(
    ("country", "citation"),
    [
        ("MX", "Ley para la Protección de Personas Defensoras de Derechos Humanos y Periodistas"),
        ("MN", "Law on the Legal Status of Human Rights Defenders"),
        ("PE", "modificado por el Decreto Supremo N° 002-2022-JUS"),  # does not open with it
        ("CO", "Decretos 1235 y 1285 de 2023"),  # two norms
    ],
)
def test_parse_citation_refuses_names_prose_and_lists(country: str, citation: str) -> None:
    assert parse_citation(citation, country) is None


def test_any_iso_country_is_read_and_a_non_country_is_refused_in_one_line() -> None:
    assert [m.key for m in find_norms("Ley N° 19.580", "uy")] == ["UY:LEY|19580||"]
    assert find_norms("Law No. 5 of 2021", "MN")[0].key == "MN:LAW|5|2021|"  # no es/pt/fr
    for code in ("ZZ", "XK", "Peru", "", "P1"):
        with pytest.raises(ValueError) as error:
            find_norms("Ley 1", code)
        assert repr(code.strip()) in str(error.value) and "\n" not in str(error.value)


def test_the_generic_grammar_of_a_countrys_language_serves_it() -> None:
    assert grammar_for("CL").name == "generic/es"
    assert grammar_for("AO").name == "generic/pt"
    assert grammar_for("SN").name == "generic/fr"
    assert grammar_for("CH").name == "generic/fr"  # German first, French the first we read
    assert grammar_for("MN").name == "generic/en"  # Mongolian: none of ours
    assert grammar_for("HN").name == "hn"


def test_country_helpers_use_iso_and_cldr_data() -> None:
    assert is_country("pe") and is_country(" CI ") and not is_country("ZZ")
    assert not is_country("Peru") and not is_country("EU")
    assert country_languages("MX") == ("es",)  # de facto, not in law
    assert country_languages("CA") == ("en", "fr")
    assert country_languages("ZZ") == ()
    assert country_name("CI") == "Côte d'Ivoire" and country_name("ZZ") is None


@pytest.mark.parametrize(
    ("key", "english", "national"),
    [
        ("DS|4|2021|JUS", "Supreme Decree", "Decreto Supremo"),
        ("CI:LOI|388|2014|", "Law", "Loi"),
        ("BR:DEC|9937|2019|", "Decree", "Decreto"),
        ("GT:ACU-GUB|198|2025|", "Government Agreement", "Acuerdo Gubernativo"),
        ("ID:UU|39|1999|", "Law", "Undang-Undang"),
    ],
)
def test_type_names(key: str, english: str, national: str) -> None:
    country = parse_key(key)[0]
    assert type_name(key) == english == type_name(key, "en")
    assert type_name(key, grammar_for(country).language) == national


def test_issuer_names_come_from_the_grammars() -> None:
    assert issuer_name("PE", "JUS") == "Ministerio de Justicia y Derechos Humanos"
    assert issuer_name("PE", "dp-pad") == "Defensoría del Pueblo"  # named by its head
    assert issuer_name("BF", "AN") == "Assemblée nationale"
    assert issuer_name("ML", "MJDH-SG") and issuer_name("CD", "CAB/MIN/J&DH")
    assert issuer_name("PE", "NOPE") is None
    assert issuer_name("CL", "MINJU") is None  # a generic grammar knows no issuers
    assert issuer_name("ZZ", "JUS") is None


@pytest.mark.parametrize(
    ("key", "display"),
    [
        ("CI:LOI|388|2014|", "Loi n° 2014-388"),
        ("ML:DECRET|87|2020|P-RM", "Décret n° 2020-0087/P-RM"),
        ("CD:LOI|27|2023|", "Loi n° 23/027"),
        ("BF:LOI|39|2017|AN", "Loi n° 039-2017/AN"),
        ("BR:DEC|9937|2019|", "Decreto nº 9.937/2019"),
        ("BR:PORT|507|2022|MMFDH", "Portaria MMFDH nº 507/2022"),
        ("HN:PCM|17|2015|", "Decreto Ejecutivo PCM-017-2015"),
        ("EC:RES|77|2019|DPE-CGAJ", "Resolución No. 077-DPE-CGAJ-2019"),
        ("MX:NOM|4|2013|SSA1", "NOM-004-SSA1-2013"),
        ("PH:EO|70|2018|", "Executive Order No. 70, s. 2018"),
        ("ID:UU|39|1999|", "Undang-Undang Nomor 39 Tahun 1999"),
        ("AR:DEC|99|2019|", "Decreto N° 99/2019"),
    ],
)
def test_display_for_key_prints_each_country_its_way(key: str, display: str) -> None:
    assert display_for_key(key) == display


def test_every_display_reads_back_as_its_key() -> None:
    """A key printed by display_for_key is a citation its grammar reads as that very key."""
    for country, text, key, *_ in HARD_FORMS:
        mention = find_norms(text, country)[0]
        printed = display_for_key(mention.key)
        back = parse_citation(printed, country)
        assert back is not None and back.key == key, (printed, back)
