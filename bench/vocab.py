"""Word pools the bench corpus draws from: sentence templates, site names, boilerplate.

Data only. The sentences are the kind a Peruvian news site, an English-language NGO site and El
Peruano's legal pages print, so trafilatura, the date cascade and the norm grammar see the prose
they meet in production (accents, datelines, long considerandos), not lorem ipsum.
"""

from __future__ import annotations

ES_SUBJECTS = (
    "El Ministerio de Justicia y Derechos Humanos", "La Defensoría del Pueblo",
    "El Congreso de la República", "El Ministerio del Ambiente", "La Coordinadora Nacional",
    "El gobierno regional de Loreto", "La comisión de Pueblos Andinos", "El Poder Ejecutivo",
    "La Mesa de Concertación", "El Ministerio del Interior", "La fiscalía especializada",
    "Un grupo de organizaciones indígenas", "La Red Muqui", "El viceministro de Justicia",
    "La presidenta del Consejo de Ministros", "Los dirigentes de la comunidad nativa",
)  # fmt: skip
ES_VERBS = (
    "anunció", "presentó", "cuestionó", "aprobó", "evaluó", "respaldó", "exigió", "publicó",
    "defendió", "observó", "impulsó", "denunció",
)  # fmt: skip
ES_OBJECTS = (
    "un nuevo protocolo de actuación", "las medidas de protección", "el registro de situaciones"
    " de riesgo", "la implementación del mecanismo", "un informe sobre conflictos sociales",
    "los lineamientos de coordinación", "una mesa de trabajo multisectorial",
    "el presupuesto para el año fiscal", "las alertas tempranas", "la consulta previa",
    "el plan de acción", "la reglamentación pendiente",
)  # fmt: skip
ES_TAILS = (
    "en la región {place}", "tras varias semanas de diálogo", "ante la prensa extranjera",
    "según fuentes del sector", "a pedido de las organizaciones de la sociedad civil",
    "pese a las críticas de los gremios", "en una sesión extraordinaria", "durante la mañana",
    "con el apoyo de la cooperación internacional", "en el marco de la emergencia sanitaria",
)  # fmt: skip
PLACES = (
    "Loreto", "Ucayali", "Madre de Dios", "Cusco", "Puno", "Junín", "Piura", "Cajamarca",
    "Apurímac", "Áncash", "San Martín", "Amazonas", "Huánuco", "Pasco", "Ayacucho", "Lima",
)  # fmt: skip
ES_FILLER = (
    "Los voceros indicaron que el proceso tomará varios meses y que se convocará a las"
    " comunidades afectadas para recoger sus aportes.",
    "Según el último reporte, el número de casos registrados aumentó respecto del año anterior,"
    " sobre todo en zonas de actividad minera ilegal.",
    "La medida fue saludada por diversas organizaciones, aunque algunas advirtieron que su"
    " aplicación dependerá de los recursos asignados.",
    "Además, se dispuso la creación de un equipo técnico encargado de elaborar un informe"
    " trimestral sobre los avances y las dificultades encontradas.",
    "En declaraciones a este medio, una de las lideresas afirmó que la protección no puede"
    " quedarse en el papel y que se necesitan respuestas rápidas.",
    "El documento también establece plazos para que las entidades competentes adecúen sus"
    " procedimientos internos a las nuevas disposiciones.",
)
EN_SUBJECTS = (
    "The Ministry of Justice", "Peru's Ombudsman Office", "The Congress of Peru",
    "Indigenous organisations", "The UN Special Rapporteur", "A coalition of NGOs",
    "The Environment Ministry", "Regional authorities in Loreto", "Human rights lawyers",
    "The Inter-American Commission", "The executive branch", "Community leaders",
)  # fmt: skip
EN_VERBS = (
    "announced", "criticised", "approved", "welcomed", "questioned", "published", "reviewed",
    "called for", "defended", "challenged",
)  # fmt: skip
EN_OBJECTS = (
    "a new protection protocol", "the early warning system", "the registry of risk situations",
    "the implementation of the mechanism", "a report on social conflicts", "emergency measures",
    "the national action plan", "the pending regulations", "prior consultation rules",
)  # fmt: skip
EN_TAILS = (
    "in the {place} region", "after weeks of talks", "at a press conference in Lima",
    "according to official sources", "despite opposition from business groups",
    "during an extraordinary session", "with support from international donors",
)  # fmt: skip
EN_FILLER = (
    "Officials said the process would take several months and that affected communities would"
    " be consulted before any final decision is taken.",
    "According to the latest figures, the number of recorded attacks rose compared with the"
    " previous year, especially in areas affected by illegal mining.",
    "Civil society groups welcomed the move but warned that it will only work if adequate"
    " funding is allocated and local officials are trained.",
    "The document also sets deadlines for the relevant agencies to bring their internal"
    " procedures into line with the new rules.",
)
GAZETTE_CONSIDERANDO = (
    "Que, el artículo 44 de la Constitución Política del Perú establece que son deberes"
    " primordiales del Estado garantizar la plena vigencia de los derechos humanos;",
    "Que, mediante el informe técnico de la Dirección General se sustenta la necesidad de"
    " aprobar las disposiciones que permitan una adecuada coordinación intersectorial;",
    "Que, conforme a lo dispuesto en el numeral 3 del artículo 11 de la Ley Orgánica del Poder"
    " Ejecutivo, corresponde emitir el acto resolutivo correspondiente;",
    "Que, en atención a las consideraciones expuestas, resulta necesario aprobar el documento"
    " normativo que regule el procedimiento;",
)
ARTICLE_VERBS = ("Aprobar", "Disponer", "Encargar", "Modificar", "Establecer", "Publicar")
POLICY_KINDS = (
    "Protocolo", "Mecanismo", "Plan", "Programa", "Estrategia", "Política", "Registro",
    "Lineamientos", "Directiva", "Sistema", "Fondo", "Observatorio",
)  # fmt: skip
POLICY_SCOPES = ("Nacional", "Intersectorial", "Regional", "Sectorial", "Multisectorial", "Local")
POLICY_TOPICS = (
    "Alerta Temprana", "Defensa Ambiental", "Pueblos Indígenas", "Seguridad Comunitaria",
    "Periodistas en Riesgo", "Lideresas Rurales", "Conflictos Socioambientales",
    "Acceso a la Justicia", "Tierras Comunales", "Bosques Amazónicos", "Agua y Saneamiento",
    "Minería Responsable", "Igualdad de Género", "Migración Segura", "Consulta Previa",
    "Trabajo Decente", "Salud Intercultural", "Educación Bilingüe", "Memoria Histórica",
    "Búsqueda de Desaparecidos", "Reparaciones Colectivas", "Transparencia Pública",
    "Lucha contra la Corrupción", "Pesca Artesanal", "Gestión de Riesgos", "Cambio Climático",
    "Biodiversidad Andina", "Control de Armas", "Trata de Personas", "Niñez y Adolescencia",
    "Personas con Discapacidad", "Adultos Mayores", "Vivienda Social", "Energías Renovables",
    "Áreas Naturales Protegidas", "Defensa Legal Gratuita", "Libertad de Expresión",
    "Participación Ciudadana", "Territorios Afroperuanos", "Economía Campesina",
)  # fmt: skip
POLICY_QUALIFIERS = (
    "de Loreto", "del Cusco", "de Puno", "de Piura", "de Ucayali", "de Junín", "del Callao",
    "de Cajamarca", "de Áncash", "de Arequipa", "de Tacna", "de Tumbes", "de Ica", "de Pasco",
    "de Huánuco", "de Ayacucho", "de Apurímac", "de Moquegua", "de Lambayeque", "de Amazonas",
    "de San Martín", "de Madre de Dios", "de La Libertad", "de Huancavelica", "de Lima",
)  # fmt: skip
EN_KINDS = {
    "Protocolo": "Protocol", "Mecanismo": "Mechanism", "Plan": "Plan", "Programa": "Programme",
    "Estrategia": "Strategy", "Política": "Policy", "Registro": "Registry",
    "Lineamientos": "Guidelines", "Directiva": "Directive", "Sistema": "System",
    "Fondo": "Fund", "Observatorio": "Observatory",
}  # fmt: skip
ISSUERS = ("JUS", "MINAM", "MIMP", "IN", "PCM", "MC", "MINEM", "MIDAGRI", "SA", "MTPE")
NAV_LABELS = (
    "Política", "Economía", "Mundo", "Deportes", "Espectáculos", "Tecnología", "Opinión",
    "Regiones", "Lima", "Sociedad", "Cultura", "Salud", "Educación", "Ambiente", "Videos",
    "Podcast", "Especiales", "Suscríbete", "Newsletter", "Contacto", "Publicidad", "Archivo",
)  # fmt: skip
EN_NAV_LABELS = (
    "News", "Analysis", "Reports", "Campaigns", "Countries", "Donate", "About us", "Contact",
    "Press", "Resources", "Events", "Careers", "Newsletter", "Search", "Multimedia",
)  # fmt: skip
ES_COOKIE = (
    "Utilizamos cookies propias y de terceros para mejorar tu experiencia, analizar el tráfico"
    " y mostrarte publicidad personalizada. Al continuar navegando aceptas nuestra política de"
    " cookies."
)
EN_COOKIE = (
    "We use cookies to improve your experience on our website and to analyse traffic. By"
    " continuing to browse you agree to our cookie policy."
)
AUTHORS = ("Redacción", "Ana Quispe", "Luis Huamán", "María Flores", "Jorge Rojas", "EFE")
ES_MONTHS = (
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre",
    "octubre", "noviembre", "diciembre",
)  # fmt: skip
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
