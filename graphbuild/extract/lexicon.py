"""General English vocabulary of diplomatic reporting that the extraction rules use.

Nothing here is about a particular article: these are offices, honorifics, meeting verbs and
modality cues as they occur across news styles (wire copy, ministry readouts, analysis).
"""

from __future__ import annotations

import re

# Honorifics and forms of address that precede a name but are not part of it.
HONORIFICS = frozenset(
    {
        "h.e.",
        "he",
        "h.h.",
        "hh",
        "his",
        "her",
        "excellency",
        "highness",
        "majesty",
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "dr",
        "dr.",
        "prof",
        "prof.",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "sheikh",
        "sheikha",
        "shaikh",
        "prince",
        "princess",
        "king",
        "queen",
        "emir",
        "sultan",
        "sayyid",
        "sayed",
        "sayyed",
        "ambassador",
        "general",
        "gen.",
        "the",
        "hon.",
        "honourable",
        "honorable",
        "rt",
        "rt.",
        "right",
        "monsignor",
        "cardinal",
        "archbishop",
        "comrade",
        "retd",  # "Admiral (Retd.) X": retired
        "retd.",
        "senator",
        "minister",
        "president",
        "premier",
        "chancellor",
        "secretary",
        "deputy",
        "vice",
        "acting",
        "foreign",
        "prime",
        "mp",
        "madam",
        "shri",
        "smt",
        "smt.",
        "shrimati",
        "mme",
        "mme.",
        "eng",
        "eng.",
        "engr",
        "engr.",
        "hon",
        "excellencies",
        "lt",
        "lt.",
        "col",
        "col.",
        "maj",
        "maj.",
        "brig",
        "brig.",
        "capt",
        "capt.",
        "h.e",
        "h.h",
        "hrh",
        "h.r.h.",
        "royal",
    }
)

# Military ranks and styles of address that stand before a name in much of the world's press
# ("Lt Gen X", "Commodore X", "Datuk Seri X", "Alhaji X", "Archbishop X"): not part of the
# name, and kept apart from ``HONORIFICS`` (those also keep a state's name the state).
NAME_STYLES = frozenset(
    {
        "gen", "gen.", "general", "lt", "lt.", "lieut", "lieut.", "lieutenant", "maj", "maj.",
        "major", "brig", "brig.", "brigadier", "col", "col.", "colonel", "commodore", "admiral",
        "adm", "adm.", "marshal", "capt", "capt.", "captain", "datuk", "dato", "dato'", "datin",
        "alhaji", "alhaja", "ratu", "archbishop", "bishop", "cardinal", "monsignor", "msgr",
        "msgr.", "rev", "rev.", "reverend", "sen.", "senator", "hm", "amb.", "engr",
        "engr.", "honourable", "honorable",
    }
)  # fmt: skip
# The same as phrases of several words, matched at the start of a name.
NAME_STYLE_PHRASES = (
    r"(?:Air\s+(?:Chief\s+|Vice\s+)?Marshal|Air\s+Commodore|Field\s+Marshal|"
    r"(?:Rear|Vice)\s+Admiral|(?:Lt\.?|Lieutenant|Maj\.?|Major|Brig\.?|Brigadier)\s+"
    r"(?:Gen\.?|General)|(?:Lt\.?|Lieutenant)\s+(?:Col\.?|Colonel)|Tan\s+Sri|Puan\s+Sri|"
    r"Toh\s+Puan|Datuk\s+Seri(?:\s+Utama)?|Dato['’]?\s+S(?:e)?ri|Datin\s+Seri|"
    r"Rt\.?\s+Hon\.?|Right\s+Hon(?:ou?rable|\.)?)"
)

# Heads of office titles; a title is a sequence of modifiers ending in (or built around) one.
OFFICE_HEADS = (
    "Prime Minister",
    "Deputy Prime Minister",
    "First Deputy Prime Minister",
    "Vice Premier",
    "Premier",
    "President",
    "Vice President",
    "Vice-President",
    "Deputy President",
    "Minister",
    "Foreign Minister",
    "Secretary-General",
    "Secretary General",
    "Deputy Secretary-General",
    "Under-Secretary-General",
    "Secretary of State",
    "Foreign Secretary",
    "State Secretary",
    "Secretary",
    "Chancellor",
    "Vice Chancellor",
    "Vice-Chancellor",
    "Chairperson",
    "Chairman",
    "Chairwoman",
    "Chair",
    "High Representative",
    "Commissioner",
    "King",
    "Queen",
    "Emir",
    "Amir",
    "Crown Prince",
    "Sultan",
    "Ambassador",
    "Ambassador Extraordinary and Plenipotentiary",
    "Ambassador Extraordinary",
    "Apostolic Nuncio",
    "Nuncio",
    "Special Envoy",
    "Special Representative",
    "Envoy",
    "Spokesperson",
    "Spokesman",
    "Spokeswoman",
    "Speaker",
    "Senator",  # "US Senator X": a state's office (a legislator's, not a form of address)
    "Senate President",
    "Governor",
    "Mayor",
    "Managing Director",
    "Director-General",
    "Director General",
    "Head of State",
    "Head of Government",
    "Supreme Leader",
    "chief negotiator",
    "Chief Negotiator",
    "official",  # "top White House official X", "senior Kremlin official X"
    "negotiator",  # "Iran's nuclear negotiator X", "X, the lead climate negotiator in …"
    "Negotiator",
    "top diplomat",
    "Grand Duke",
    "Cabinet Secretary",
    "Principal Secretary",
    "Permanent Secretary",
    "Chief Secretary",
    "General Secretary",
    "Home Secretary",
    "Under-Secretary",
    "Undersecretary",
    "Assistant Secretary",
    "National Security Adviser",
    "National Security Advisor",
    "Adviser",
    "Advisor",
    "Aide",
    "Councilor",
    "Councillor",
    "Counsellor",
    "High Commissioner",
    "Chargé d'Affaires",
    "Charge d'Affaires",
    "Chargé d’Affaires",
    "chargé d'affaires",
    "charge d'affaires",
    "chargé d’affaires",
    "Permanent Representative",
    "Director",
    "Chief of Staff",
    "Chief of General Intelligence",
    "Taoiseach",
    "Tánaiste",
    "Tanaiste",
    "Canciller",
    "Delegate",
    "Attorney General",
    "Attorney-General",
    "Chief Minister",
    "Deputy Crown Prince",
    "Chief Executive",
    "Chief Justice",
    "Consul General",
    "Consul-General",
    "Consul",
    "Representative",
    "Emissary",
    "Coordinator",
    "Head of Mission",
    "Minister-Counsellor",
    "Minister Counsellor",
    "Minister Delegate",
)

# Office heads matched only capitalised: "Head of the Maritime Security Centre", "Commander of
# the Royal Army of Oman". In lower case they are mostly a verb ("head to Paris") or a rank.
CAPITALISED_HEADS = ("Commander", "Head")

# First or last words of sports clubs that the parser may tag as people ("Real Madrid",
# "Manchester United", "Borussia Dortmund").
CLUB_WORDS = frozenset(
    {
        "fc",
        "afc",
        "cf",
        "sc",
        "ac",
        "vfb",
        "vfl",
        "tsg",
        "borussia",
        "olympique",
        "atletico",
        "atlético",
        "sporting",
        "dynamo",
        "dinamo",
        "united",
        "rovers",
        "wanderers",
        "hotspur",
        "athletic",
    }
)

# Post-nominal letters only one state's parliament gives ("X T.D.": a member of the
# Irish Dáil), as folded words: a titled person with them acts for that state.
STATE_POST_NOMINALS = {"t.d.": "IE", "t.d": "IE", "td": "IE"}

# Honorifics only one state's official usage puts before a name ("Vice-President Shri X"):
# a titled person addressed so holds that state's office (a bare name with one is no office).
STATE_HONORIFICS = {"shri": "IN", "shrimati": "IN", "smt": "IN", "smt.": "IN"}

# Title words that are also common given names: after "H.E."/"Mr"/"Dr" they start a name.
GIVEN_NAME_TITLES = frozenset({"amir", "emir", "sultan", "malik", "sheikh"})

# Office titles as abbreviated in South Asian, Kenyan and wire copy: matched exactly as written
# ("PM X", "EAM X", "CS X"), never in lower case.
TITLE_ABBREVIATIONS = (
    "PM", "FM", "EAM", "CS", "MoS", "NSA", "DPM", "HRVP", "PS", "FS", "SG", "UNSG", "Amb.",
)  # fmt: skip
# What they stand for, so the office they name can be compared with the office-holder table.
ABBREVIATED_TITLES = {
    "PM": "Prime Minister",
    "FM": "Foreign Minister",
    "EAM": "External Affairs Minister",
    "CS": "Cabinet Secretary",
    "MoS": "Minister of State",
    "NSA": "National Security Adviser",
    "DPM": "Deputy Prime Minister",
    "HRVP": "High Representative",
    "PS": "Principal Secretary",
    "FS": "Foreign Secretary",
    "SG": "Secretary-General",
    "UNSG": "Secretary-General",
    "Amb.": "Ambassador",
}

# Offices that exist under this name in one state only, so the title alone names the party
# (ISO 3166-1 alpha-2), as patterns over the folded title. Used only when neither the text
# nor the office-holder table gives a party.
STATE_TITLES = (
    (r"^(?:an )?(?:taoiseach|tanaiste)\b", "IE"),
    (
        r"\bexternal affairs minister\b|\bminister (?:of state )?(?:of|for) external affairs\b|"
        r"^eam$|^union minister\b|\blok sabha\b|\brajya sabha\b",
        "IN",
    ),
    (r"^(?:deputy )?secretary of state$", "US"),
    # Kenya's ministers and their permanent heads ("Cabinet Secretary for Foreign Affairs",
    # "Foreign Affairs Principal Secretary"), not "Chief Cabinet Secretary" nor "Principal
    # Secretary to the Prime Minister"
    (
        r"^(?:[a-z ]+ )?(?:cabinet|principal) secretar(?:y|ies)\b(?! to\b)"
        r"(?<!chief cabinet secretary)",
        "KE",
    ),
    (r"^cs$", "KE"),
    (r"^state councill?or\b", "CN"),
    (r"custodian of the two holy mosques", "SA"),
    # the Holy See's envoy ("the Apostolic Nuncio to Kenya")
    (r"^(?:apostolic )?nuncio\b", "VA"),
)

# Plural titles before a list of names ("Presidents A and B", "Cabinet Secretaries A and B").
PLURAL_HEADS = {
    "presidents": "President",
    "prime ministers": "Prime Minister",
    "foreign ministers": "Foreign Minister",
    "ministers": "Minister",
    "cabinet secretaries": "Cabinet Secretary",
    "secretaries of state": "Secretary of State",
    "ambassadors": "Ambassador",
    "kings": "King",
    "leaders": "Leader",
}

# Adjectives that make a minister's portfolio ("Defence Minister", "Finance Minister").
PORTFOLIOS = (
    "Foreign",
    "Defence",
    "Defense",
    "Finance",
    "Interior",
    "Trade",
    "Economy",
    "Economic",
    "Energy",
    "Justice",
    "Health",
    "Education",
    "Agriculture",
    "Transport",
    "Environment",
    "Culture",
    "Labour",
    "Labor",
    "Security",
    "Home",
    "External Affairs",
    "Foreign Affairs",
    "Industry",
    "Development",
    "Digital",
    "Climate",
    "Commerce",
    "Tourism",
    "Information",
    "Communications",
    "Sports",
    "Sport",
    "Homeland Security",
    "International Relations",
    "International Cooperation",
    "Cooperation",
    "Foreign Trade",
    "International Trade",
    "European Affairs",
    "Investment",
    "Immigration",
    "Petroleum",
    "Mining",
    "Fisheries",
    "Water",
    "Housing",
    "Youth",
    "Women",
    "Science",
    "Technology",
    "Planning",
    "Infrastructure",
    "Public Works",
    "National Security",
    "Social Affairs",
    "Tourism",
    "Presidential",
    "Expatriates",
    "Emigrants",
    "Diaspora",
    "Worship",
)

# Words of ministerial portfolios, from the position labels of the sourced office-holder table
# (data/gazetteer/office-holders.tsv: words of "minister of/for X" and "X minister" labels that
# occur in three or more labels, without place names), plus a few the table spells otherwise.
PORTFOLIO_WORDS = frozenset(
    re.findall(
        r"\S+",
        """affairs development social education public health foreign environment culture
    agriculture industry tourism national housing energy economy resources planning transport
    finance labour security state justice technology trade youth information science defence
    economic infrastructure sports fisheries water communications government works family
    interior food innovation service administration services protection rural human welfare
    gender climate local employment commerce women communication regional urban natural
    international cooperation sport digital relations civil higher community research
    investment children management change lands land reform home peoples mining arts policy
    industries petroleum mines training forestry rights promotion internal consumer european
    solidarity defense small labor construction equality territorial business sustainable
    integration animal telecommunications immigration aviation veterans media livestock forests
    safety inclusion religious vocational emergency enterprises maritime presidency heritage
    financial disaster technologies marine legal action entrepreneurship transformation
    treasury reconciliation governance budget wildlife parliamentary physical empowerment
    industrial smes police transportation humanitarian electricity oil mineral constitutional
    transition irrigation utilities wellness administrative equipment technical power medium
    handicrafts enterprise society families road external spatial civic environmental cultural
    care population cooperatives indigenous posts reforms broadcasting armed forces primary
    ecology political skills institutional migration scientific logistics recreation geology
    wellbeing minerals sanitation fishing refugees citizenship renewable production ecological
    urbanism opportunities habitat preparedness peace creative renewal coordination
    territories roads modernization antiquities dialogue border decentralization growth
    pensions abroad secondary diaspora reconstruction agricultural medical highways poverty
    conservation universities mental manpower investments productive ports guidance insurance
    gas hydraulics literacy inland waters diversity missions domestic supply cohesion
    knowledge personnel implementation settlements efficiency aged disabilities agrarian
    press ict disabled businesses strategic minority assets sustainability liberties
    competitiveness unity nuclear transparency worship homeland exchequer protocol protocols
    intelligence commonwealth corporate expatriates emigrants""",
    )
)

TITLE_PREFIXES = (
    "Resident",  # "UN Resident Coordinator", "IMF Resident Representative"
    "acting",
    "Acting",
    "Deputy",
    "deputy",
    "Vice",
    "vice",
    "First",
    "first",
    "Senior",
    "senior",
    "Former",
    "former",
    "Assistant",
    "assistant",
    "Principal",
    "Chief",
    "Special",
    "Executive",
    "Union",
    "Cabinet",
    "State",
    "Federal",
)

# Words of the bodies an office belongs to ("President of the ECOWAS Commission", "Secretary
# of the National Security Council"): a title's "of ..." part may run over them.
BODY_WORDS = frozenset(
    re.findall(
        r"\S+",
        """commission council union assembly office department ministry party parliament senate
    congress committee bureau agency authority organisation organization bank fund court
    cabinet secretariat mission delegation embassy republic kingdom federation states state
    emirates nations united islamic people's peoples democratic socialist federal arab
    sultanate principality community communities movement group general presidency
    government khural hural duma knesset majlis sejm storting riksdag bundestag bundesrat
    rada oireachtas dail shura jirga sabha""",
    )
)

# Nouns that, with a determiner and optionally a demonym, refer back to an office holder:
# "the minister", "the Turkish leader", "the UN chief".
ROLE_NOUNS = frozenset(
    {
        "minister",
        "president",
        "leader",
        "chief",
        "premier",
        "chancellor",
        "secretary-general",
        "secretary",
        "diplomat",
        "envoy",
        "prime minister",
        "foreign minister",
        "host",
        "guest",
        "chairperson",
        "chairman",
        "chair",
        "king",
        "emir",
        "sultan",
        "counterpart",
        "high representative",
        "commissioner",
        "head",
    }
)

# Verbs (lemmas) reporting an in-person meeting between subject and object.
# Single words the tagger takes for a person's whole name but that name no one: platforms,
# outlets, an illness (casefolded).
NOT_PERSON_WORDS = frozenset(
    {
        "twitter", "x", "facebook", "instagram", "telegram", "whatsapp", "youtube", "tiktok",
        "weibo", "wechat", "linkedin", "threads", "politico", "reuters", "xinhua", "tass",
        "covid", "covid-19", "ebola",
    }
)  # fmt: skip

MEETING_VERBS = frozenset({"meet", "receive", "host", "welcome", "visit", "greet", "join"})
# "hold talks", "held a meeting"; objects that make a meeting with "hold"/"have"/"conduct".
MEETING_NOUNS = frozenset(
    {
        "talk",
        "talks",
        "meeting",
        "meetings",
        "dialogue",
        "summit",
        "consultation",
        "consultations",
        "discussion",
        "discussions",
        "negotiation",
        "negotiations",
        "session",
        "round",
        "conversation",
        "tête-à-tête",
        "tete-a-tete",
        "tête",  # the tagger splits "tête-à-tête" at its hyphens
        "tete",
        "encounter",
        "audience",
        "bilateral",
    }
)
LIGHT_VERBS = frozenset({"hold", "have", "conduct", "chair", "co-chair", "attend", "sign"})
# Remote contact: never an in-person meeting.
REMOTE_CUES = re.compile(
    r"\b(?:phone|telephone|telephoned|telephonic(?:ally)?|phoned|video|videoconference|video-conference|"
    r"virtual(?:ly)?|online|by letter|letter|(?<!courtesy )(?<!farewell )(?<!introductory )"
    r"call(?:ed)?(?=[,.;:]| (?!on\b))|(?<!courtesy )(?<!farewell )(?<!introductory )calls\b|"
    r"video link|"
    r"teleconference|zoom)\b",
    re.I,
)
# Modality that makes a meeting possible, wished or denied rather than held or scheduled.
HEDGE_LEMMAS = frozenset(
    {
        "hope",
        "wish",
        "want",
        "seek",
        "plan",
        "propose",
        "offer",
        "invite",
        "aim",
        "try",
        "intend",
        "consider",
        "like",
        "ready",
        "willing",
        "eager",
        "ask",
        "urge",
        "refuse",
        "decline",
        "cancel",
        "postpone",
        "deny",
        "doubt",
        "explore",
        "discuss",
        "push",
        "press",
        "prepare",
        "suggest",
    }
)
HEDGE_MODALS = frozenset({"may", "might", "could", "would", "should", "can", "must"})
# "is scheduled to", "is due to", "is expected to", "is set to", "is to".
SCHEDULE_HEADS = frozenset({"schedule", "due", "expect", "set", "slate", "poise"})
CANCEL_CUES = re.compile(
    r"\b(?:postponed|cancell?ed|called off|scrapped|no (?:new )?date has been set|"
    r"not (?:yet )?(?:been )?fixed|no decision|yet to be (?:set|fixed|agreed)|to be agreed|"
    r"several times|many times|repeatedly)\b",
    re.I,
)
# Group references to office holders: "the two ministers", "the foreign ministers of A and B".
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "both": 2,
}
ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "twenty-fifth": 25,
    "thirtieth": 30,
    "fortieth": 40,
    "fiftieth": 50,
    "sixtieth": 60,
    "seventieth": 70,
    "seventy-fifth": 75,
    "eightieth": 80,
    "ninetieth": 90,
    "hundredth": 100,
    "centenary": 100,
    "centennial": 100,
}
CARDINAL_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "twenty-five": 25,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "seventy-five": 75,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "a hundred": 100,
}
SPAN_WORDS = {
    "decade": 10,
    "quarter-century": 25,
    "quarter century": 25,
    "half-century": 50,
    "half century": 50,
    "century": 100,
}
# Words that head the name of an agreement.
AGREEMENT_HEADS = (
    "Treaty",
    "Declaration",
    "Agreement",
    "Accord",
    "Accords",
    "Memorandum",
    "Protocol",
    "Convention",
    "Charter",
    "Act",
    "Pact",
    "Communiqué",
    "Communique",
    "Statement",
    "Union",
    "Partnership",
    "Understanding",
    "Framework",
    "Compact",
    "Plan",
)
SPEECH_VERBS = frozenset(
    {
        "say",
        "tell",
        "add",
        "stress",
        "note",
        "state",
        "declare",
        "affirm",
        "warn",
        "insist",
        "call",
        "urge",
        "remark",
        "emphasise",
        "emphasize",
        "underline",
        "observe",
        "argue",
        "explain",
        "reply",
        "respond",
        "announce",
        "write",
        "post",
        "put",
        "continue",
        "ask",
        "conclude",
        "describe",
        "recall",
        "acknowledge",
        "admit",
        "claim",
        "comment",
        "echo",
        "welcome",
        "thank",
        "wish",  # "X wished them 'good luck'": X's words, even inside another's report
        "praise",
        "pledge",
        "vow",
        "caution",
        "assert",
        "reiterate",
        "quip",
        "joke",
        "point",
        "highlight",
        "agree",
        # posts, briefings and naming verbs of news copy: "X tweeted", "elaborated X",
        # "what he termed a '…'", "was quoted as saying"
        "tweet",
        "mention",
        "elaborate",
        "term",
        "dub",
        "label",
        "brand",
        "quote",
        "inform",
        "express",
        "assure",
        "opine",
        "indicate",
        "maintain",
        "recount",
        "underscore",
        "hail",
        "lament",
        "voice",
        "remind",
        "confirm",
        "concede",
        "predict",
        "retort",
        "counter",
        "contend",
        "exclaim",
        "proclaim",
        "reaffirm",
        "characterise",
        "characterize",
        "summarise",
        "summarize",
    }
)
PRONOUNS_PERSON = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})


def forms(lemma: str, lower: str) -> set[str]:
    """A word's lemma and crude stems, because the small model's lemmatizer errs ("hoped" ->
    "hop")."""
    out = {lemma.lower(), lower}
    for suffix in ("ing", "ed", "es", "d", "s"):
        if lower.endswith(suffix) and len(lower) - len(suffix) >= 3:
            out.add(lower[: -len(suffix)])
    return out


# Which kind of office a title names, as patterns over the folded title (for the
# office-holder table's categories: a "President" is a head of state, "Premier" heads a
# government, "Canciller" is a foreign minister).
FOREIGN_OFFICE_WORDS = (
    r"\bforeign\b|\bexternal (?:affairs|relations)\b|\binternational relations\b|"
    r"\bsecretary of state\b(?! for (?!foreign))|\btop diplomat\b|\bcanciller\b"
)
HEAD_OF_GOVERNMENT_WORDS = (
    r"\bprime minister\b|\bpremier\b|\bhead of government\b|\btaoiseach\b|"
    r"\bchancellor\b(?! of the exchequer)|"
    r"\bpm\b"
)
HEAD_OF_STATE_WORDS = (
    r"\bpresident\b|\bking\b|\bqueen\b|\bemir\b|\bamir\b|\bsultan\b|\bhead of state\b|"
    r"\bgrand duke\b|\bsupreme leader\b|\bcustodian of the two holy mosques\b"
)
