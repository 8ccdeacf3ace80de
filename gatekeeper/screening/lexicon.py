"""Word lists (English, German, French, Spanish) that content detection relies on."""

from __future__ import annotations

import re
from collections.abc import Iterable


class _Node(dict[str, "_Node"]):
    """A prefix-tree node: each next character maps to its node; "" marks a word's end."""


def trie_pattern(phrases: Iterable[str]) -> str:
    """Return a regex alternation of ``phrases`` folded into a prefix tree.

    Python's regex engine tries alternatives one by one; sharing prefixes lets it reject a
    position after a character or two, which keeps per-line matching cheap. Longer
    phrases are tried before their prefixes.
    """
    root = _Node()
    for phrase in phrases:
        node = root
        for char in phrase:
            node = node.setdefault(char, _Node())
        node[""] = _Node()

    def emit(node: _Node) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return (body if len(branches) > 1 else f"(?:{body})") + "?"
        return body

    return emit(root)


def words(text: str) -> frozenset[str]:
    """Return the whitespace-separated words of ``text`` as a set."""
    return frozenset(text.split())


# Headings, by what the block under them is about. Matching is on lower-case text.
AGENDA_HEADINGS = (
    "agenda", "agenda items", "meeting agenda", "proposed agenda", "draft agenda",
    "topics", "topic", "topics to cover", "topics for discussion", "discussion topics",
    "discussion points", "discussion items", "points to discuss", "to discuss", "talking points",
    "items to discuss", "things to cover", "what we'll cover", "what we will cover",
    "we'll cover", "we will cover", "outline", "run of show", "session plan", "plan",
    "structure", "format", "schedule", "program", "programme", "items",
    "tagesordnung", "themen", "thema", "ablauf", "besprechungspunkte", "punkte", "inhalte",
    "inhalt", "programm", "tagesordnungspunkte",
    "ordre du jour", "sujets", "sujet", "points à aborder", "points à discuter", "déroulé",
    "déroulement", "thèmes", "au programme", "programme de la réunion",
    "orden del día", "temas", "tema", "puntos a tratar", "puntos", "temario", "programa",
    "ordine del giorno", "argomenti", "pauta", "onderwerpen",
)  # fmt: skip
GOAL_HEADINGS = (
    "goal", "goals", "objective", "objectives", "purpose", "aim", "aims", "desired outcome",
    "desired outcomes", "outcome", "outcomes", "expected outcome", "expected outcomes",
    "intended outcome", "deliverable", "deliverables", "why", "success criteria",
    "meeting goal", "meeting goals", "meeting purpose", "meeting objective",
    "ziel", "ziele", "zielsetzung", "zweck", "ergebnis", "gewünschtes ergebnis",
    "objectif", "objectifs", "but", "résultat attendu", "résultats attendus",
    "objetivo", "objetivos", "propósito", "finalidad", "resultado esperado", "obiettivo",
)  # fmt: skip
DECISION_HEADINGS = (
    "decision needed", "decision required", "decisions needed", "decisions required",
    "decision to make", "decisions to make", "decision", "decisions", "to decide",
    "the ask", "ask", "questions to answer", "open questions", "key questions", "questions",
    "question",
    "entscheidung", "entscheidungen", "zu entscheiden", "entscheidungsbedarf",
    "offene fragen", "fragen",
    "décision", "décisions", "décision à prendre", "décisions à prendre", "questions ouvertes",
    "decisión", "decisiones", "decisión necesaria", "preguntas", "preguntas abiertas",
)  # fmt: skip
PREREAD_HEADINGS = (
    "pre-read", "pre-reads", "pre read", "pre reads", "preread", "prereads", "pre-reading",
    "prereading", "reading", "required reading", "background reading", "read before",
    "read ahead", "materials", "material", "resources", "documents", "document", "docs",
    "doc", "links", "link", "references", "context", "background", "attachments",
    "attachment", "slides", "deck", "notes", "meeting notes",
    "vorab lesen", "vorablektüre", "unterlagen", "lektüre", "dokumente", "dokument",
    "hintergrund", "kontext",
    "à lire", "à lire avant", "lecture", "documentation", "contexte", "supports",
    "lectura previa", "lecturas", "documentos", "documento", "contexto", "antecedentes",
)  # fmt: skip
PEOPLE_HEADINGS = (
    "attendees", "participants", "invitees", "guests", "who", "required", "optional",
    "people", "attendance", "required attendees", "optional attendees", "presenters",
    "panelists", "panellists", "panel", "speakers", "hosts", "facilitators", "moderator",
    "moderators", "interviewers", "interview panel", "referenten", "sprecher", "intervenants",
    "ponentes",
    "teilnehmer", "teilnehmende", "teilnehmerinnen", "eingeladen",
    "invités", "participantes", "asistentes", "invitados",
)  # fmt: skip
LOGISTICS_HEADINGS = (
    "location", "where", "when", "time", "date", "room", "dial-in", "dial in", "join",
    "video", "call", "conference", "phone", "zoom", "teams", "parking", "directions",
    "address", "host", "organizer", "organiser", "from", "to", "cc", "sent", "subject",
    "duration", "dress code", "catering", "lunch", "food", "logistics", "practicalities",
    "practical info", "practical information", "logistik", "logistique", "logística", "train",
    "transport", "travel", "getting there", "anreise", "accès", "acceso",
    "ort", "raum", "zeit", "datum", "von", "an", "betreff", "gesendet",
    "lieu", "salle", "heure", "de", "à", "objet", "envoyé",
    "lugar", "sala", "hora", "fecha", "asunto", "para", "enviado",
)  # fmt: skip

# Words that say nothing about what a meeting is for.
VAGUE = words(
    """sync synch syncing sync-up synchup catch catchup catch-up catching up chat chats chatting
    talk talking discuss discussing discussion discussions meeting meetings meet call calls quick
    quickly brief short touch base check check-in checkin checking connect connecting project
    projects thing things stuff topic topics item items update updates status weekly daily
    biweekly bi-weekly monthly regular recurring general misc miscellaneous various generic
    everything anything something stuff 1:1 1-1 one-on-one 1on1 standup stand-up huddle
    follow followup follow-up idea ideas thoughts progress plans work working session sessions
    team hello hi hey thanks thank cheers regards best time minutes mins min couple bit little
    agenda tbd hangout grab coffee petit petite ponernos día hang touchpoint touch-point
    alignment align sync/catch chit-chat doc docs document link below above attached
    attachment open floor ama aob anything else whatever following steps see deck slides
    intro introductions introduction catchup/sync quick-sync check-ins
    kurz kurzer kurze kurzes austausch abstimmung besprechen besprechung termin treffen jour
    fixe regeltermin sachen dinge allgemein allgemeines quatschen plaudern rücksprache
    point rapide échange échanger discuter réunion caler suivi rdv rendez-vous points
    reunión charla charlar hablar sincronizar sincro rápida rápido breve puesta día
    seguimiento cosas asuntos platicar novedades"""
)
STOPWORDS = words(
    """let's let’s lets together through lo
    a an the and or but if of to in on at by for with about from into over under as is are
    was were be been being am do does did doing have has had having i me my we us our ours you
    your yours he she it its they them their this that these those there here what which who
    whom whose when where why how all any both each few more most other some such no nor not
    only own same so than too very can could will would shall should may might must just also
    let let's lets please pls via up down out off again then once per etc e.g. i.e. vs re fyi
    we'll i'll you'll we're you're i'm i'd we'd it's that's what's there's don't didn't
    doesn't isn't won't can't we’ll i’ll let’s it’s don’t didn’t
    hope hoping like love want wanted need needs get getting go going make sure know think
    around quite really maybe perhaps ok okay yes new next last week today tomorrow monday
    before after during beforehand afterwards ahead soon later
    tuesday wednesday thursday friday morning afternoon everyone everybody all folks guys team
    der die das den dem des ein eine einen einem einer und oder aber wenn von zu im in am an
    auf mit für über unter als ist sind war wir uns unser unsere ihr sie es du ich mich mir
    dich dir bitte auch noch nur schon wie was wer wo wann dass diese dieser dieses hier da
    zum zur bei nach vor aus um nicht kein keine mal gerne
    le la les un une des du de et ou mais si à au aux en dans sur sous avec pour par est sont
    était nous notre nos vous votre vos il elle ils elles on ce cet cette ces qui que quoi où
    quand comment merci svp pas ne plus aussi très bien
    el la los las un una unos unas y o pero si de del al a en con por para sobre es son era
    nosotros nuestro nuestra vosotros usted ustedes ellos ellas esto esta este estos estas
    que qué quien cuando donde como gracias favor no más también muy"""
)
GREETINGS = words(
    """hi hello hey dear team all everyone folks guys thanks thank cheers best regards kind
    warm sincerely hallo liebe lieber grüße gruß viele beste danke bonjour salut cordialement
    bien merci hola saludos gracias un abrazo atentamente"""
)

# Words that give a sentence a concrete goal. A strong one (a decision) needs one more
# content word beside it ("decide the vendor"); a weak one (an activity) needs three.
STRONG_CUES = (
    "decide", "decides", "decided", "deciding", "decision", "decisions", "agree", "agrees",
    "agreed", "agreeing", "approve", "approves", "approved", "approving",
    "approval", "sign off", "sign-off", "signoff", "choose", "chooses", "choosing",
    "finalize", "finalise", "finalized", "finalised", "finalizing", "finalising",
    "prioritize", "prioritise", "prioritized", "prioritised", "prioritizing", "prioritising",
    "prioritization", "prioritisation", "go/no-go", "go-no-go", "commit to", "lock in",
    "settle on", "vote on",
    "entscheiden", "entscheidung", "entscheidungen", "festlegen", "freigeben", "freigabe",
    "priorisieren", "priorisierung", "einigen", "verabschieden", "beschließen", "beschluss",
    "décider", "décision", "décisions", "valider", "validation", "choisir", "prioriser",
    "priorisation", "arbitrer", "arbitrage", "approuver", "finaliser", "trancher",
    "decidir", "decisión", "decisiones", "acordar", "aprobar", "aprobación", "elegir",
    "priorizar", "priorización", "validar", "finalizar",
)  # fmt: skip
WEAK_CUES = (
    "pick", "select", "show how", "will show", "will present", "will demo", "learn how",
    "teach", "explain", "share how", "retro", "retrospective", "define", "defining", "scope",
    "scoping", "estimate", "estimating", "draft", "drafting", "review", "reviews",
    "reviewing", "walk through", "walkthrough", "walk you through", "go through", "go over",
    "run through", "present", "presenting", "presentation", "demo", "demos", "brainstorm",
    "brainstorming", "identify", "resolve", "resolving", "unblock", "kick off", "kickoff",
    "kick-off", "compare", "comparing", "evaluate", "evaluating", "evaluation", "assess",
    "assessing", "assessment", "triage", "plan the", "plan our", "plan for", "plan how",
    "planning", "outline", "design", "confirm", "confirming", "postmortem", "post-mortem",
    "debrief", "discuss", "discussing", "align on", "aligning on", "trade-off", "trade-offs",
    "tradeoff", "tradeoffs", "options for", "figure out", "clarify", "understand", "answer",
    "map out",
    "abstimmen", "klären", "besprechen", "durchgehen", "prüfen", "bewerten", "planen",
    "definieren", "vorstellen", "präsentieren", "diskutieren", "erarbeiten",
    "discuter", "passer en revue", "revoir", "planifier", "présenter", "aligner", "convenir",
    "définir", "examiner", "préparer",
    "definir", "revisar", "discutir", "planificar", "presentar", "alinear", "cerrar",
    "analizar", "evaluar", "repasar",
)  # fmt: skip
GOAL_CUES = STRONG_CUES + WEAK_CUES

# Phrases that stand in for an agenda that does not exist yet.
PLACEHOLDERS = (
    "tbd", "tba", "tbc", "t.b.d", "t.b.d.", "to be determined", "to be defined",
    "to be decided", "to be confirmed", "to be announced", "to be shared", "to be sent",
    "to be added", "to be provided", "to be updated", "to be discussed", "to follow",
    "will follow", "follows", "to come", "coming soon", "forthcoming", "pending", "n/a", "na",
    "none", "nothing yet", "not yet", "later", "soon", "see title", "see subject",
    "see above", "see invite", "as per title", "as per subject", "as per the title",
    "self-explanatory", "self explanatory", "will be shared", "will be sent", "will be added",
    "will be provided", "will be circulated", "will be posted", "will be updated",
    "will be distributed", "will send", "will share", "will circulate", "send the agenda",
    "share the agenda", "send an agenda", "share an agenda", "send out the agenda",
    "circulate the agenda", "add the agenda", "add an agenda", "in progress", "wip",
    "see doc", "see the doc", "in the doc", "see document", "see attached", "see below",
    "see notes", "see link", "siehe dokument", "siehe anhang", "voir document",
    "voir pièce jointe", "ver documento", "ver adjunto",
    "same as last week", "same as always", "as usual", "the usual", "wie immer",
    "wie gehabt", "comme d'habitude", "como siempre",
    "folgt", "wird nachgereicht", "kommt noch", "wird noch nachgereicht", "wird verschickt",
    "wird noch verschickt", "wird geteilt", "wird bekannt gegeben", "wird ergänzt",
    "wird noch ergänzt", "offen", "siehe titel", "siehe betreff", "noch offen",
    "à venir", "à définir", "à confirmer", "à préciser", "à suivre", "suivra", "suivre",
    "sera communiqué", "sera envoyé", "sera partagé", "sera précisé", "sera défini",
    "voir titre", "voir objet", "voir l'objet", "à compléter", "à déterminer",
    "por definir", "por determinar", "por confirmar", "a confirmar", "a definir",
    "pendiente", "se enviará", "se compartirá", "próximamente", "ver título", "ver asunto",
    "da definire", "a seguir",
)  # fmt: skip

# Practicalities ("bring your laptop", "lunch provided") are not topics of a meeting.
LOGISTIC_WORDS = words(
    """laptop laptops lunch breakfast dinner snacks coffee drinks food catering parking badge
    badges wifi wi-fi attire provided directions entrance reception elevator hotel venue
    shuttle restaurant reservation reserved treffpunkt reserviert restaurante navette lobby
    foyer expense expensed reimbursed rsvp dietary vegetarian vegan allergies taxi uber
    arrangements itinerary arrive arrival canteen minibus ppe visitor visitors bus buses
    pizza chaperone chaperones dismissal
    mittagessen parkplatz anfahrt déjeuner almuerzo estacionamiento"""
)

# Dates say when, not what: a list of them is a list of options, not topics.
DATE_WORDS = words(
    """mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday
    saturday sunday jan feb mar apr may jun jul aug sep sept oct nov dec january february
    march april june july august september october november december montag dienstag
    mittwoch donnerstag freitag januar februar märz mai juni juli oktober dezember lundi
    mardi mercredi jeudi vendredi janvier février mars avril juin juillet août septembre
    octobre novembre décembre lunes martes miércoles jueves viernes enero febrero marzo
    abril mayo junio julio agosto septiembre octubre noviembre diciembre am pm"""
)

# Titles written before a name ("Dr. Maria Lopez").
HONORIFICS = words(
    "dr dr. prof prof. mr mr. mrs mrs. ms ms. mx mx. herr frau m. mme mme. sr sr. sra sra. dra dra."
)

# Common first names: a bulleted list of people is an attendee list, not an agenda.
FIRST_NAMES = words(
    """aaron adam adrian aisha alan alba albert alejandro alex alexander alexandra alice alicia
    amanda amelie amy ana andrea andreas andrew angela anna anne antoine antonio arjun astrid
    ben benjamin bob brian camille carla carlos carmen carol caroline catherine charles
    charlotte chen chris christian christine claire clara daniel david diana diego dmitri
    elena elias elisa elizabeth emily emma eric erik eva fatima felix fernando florian frank
    françois gabriel george greg hannah hans helen henri hugo ines isabel isabella jack jacob
    james jan jana javier jean jennifer jessica jim joe johannes john jonas jorge jose josé
    juan julia julian julie justin karen karim kate katharina kevin klaus laura lea lena leon
    linda lisa lucas lucia lucía luis luisa lukas marc marco maria maría marie mark markus
    martin mary mateo matthew max maya mehdi mia michael michelle miguel mike nadia nicolas
    nina noah olivia omar oscar pablo patrick paul pedro peter philipp pierre priya rachel
    rafael raj ravi rebecca richard robert rosa ryan sam samuel sandra sara sarah sebastian
    sergio sofia sophie stefan stephanie steve sven thomas tim tobias tom valentina victor
    wei william yuki zoe
    abigail adriana agnes ahmed aiden akira alessandro alexis ali alina alison allison amir
    ana-maria anders andré andrés angelika anika anita ann anton antonia arthur ashley audrey
    axel barbara bastian beatriz benedikt benoît bernard bernd bettina bianca brandon brenda
    bruno caitlin cameron carina carlotta carolina cecilia celine céline chantal chiara chloe
    christoph christopher claudia colin connor cristina dana daniela darius dave deborah denis
    dennis diane dominik dominique donna dylan edward elif eliza elliot emilia emilie
    enrique erin esther ethan eugenia evelyn fabian fabio federica felipe fiona francesca
    francesco franziska gabriela gabriele gary gerhard gina giulia giuseppe gonzalo grégoire
    guillaume gustavo hamza hana hannes harry heather heidi heinz helena henrik hiroshi holger
    ian ibrahim ignacio igor ingrid irene iris isaac ivan jacqueline jake jakob jasmine jason
    jeff jens jeremy jesús jonathan jordan josef joseph joshua julien jürgen kai karl katie
    kathrin katrin keith kenji khalid kim kirsten kristina lara lars laurent leah lena-marie
    leonie liam lina lisa-marie lorenzo louis louise luca lucy ludwig lukas luka magdalena
    maja malik manuel marcel marcus margaret mariana marina mario marion marta martina matteo
    matthias maxime megan melanie melissa michel michelle mila miriam mohamed mohammed monica
    monika moritz nadine naomi natalia natalie nathalie nathan neha nicole niklas nils nora
    oliver olga pascal paula pauline petra philippe pia pietro rahul ramón raphael raquel
    rené ricardo riccardo rita roberto roman ronja ruth sabine sabrina salma samantha santiago
    sarah-jane sascha scott sean selin shreya simon simone sina sonia sophia stéphane stella
    susanne sylvie tanja tatiana teresa theo theresa thierry timo tina tomás
    ulrike ursula vanessa vera verena veronica vincent viktor vivian wolfgang xavier yasmin
    yusuf yvonne zara"""
)
ROLE_WORDS = words(
    """manager engineer lead director head vp cto ceo cfo coo cpo pm po designer analyst intern
    consultant recruiter founder owner architect scientist researcher specialist admin
    assistant coordinator organizer organiser optional required host presenter facilitator
    note-taker guest leiter leiterin entwickler entwicklerin responsable directeur directrice
    ingénieur gerente director directora ingeniero ingeniera"""
)
