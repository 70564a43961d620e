"""Closed word lists the rules rely on: titles, organisation words, function words.

English news only. Lower-case entries; compare with `word.lower().rstrip(".")`.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string, which is easier to read and edit."""
    return frozenset(text.split())


DETERMINERS = word_set("the a an its his her their our this that these those some many several other")
SUBJECT_PRONOUNS = word_set("he she they it we i which who")
PERSON_PRONOUNS = {"he": "male", "she": "female"}

# Between a subject and its reporting verb: "Washington has previously told", "Pence bluntly warned".
AUXILIARIES_AND_ADVERBS = word_set(
    "has have had was were is are also later then previously once again already first earlier recently now "
    "still never often repeatedly reportedly publicly privately separately further simply just even only "
    "yesterday today tonight subsequently initially"
)
# A reporting word right after one of these is not reporting: "to maintain", "will add", "the claims".
NOT_REPORTING_BEFORE = word_set(
    "to will would could can may might should must did does do not the a an his her its their this "
    "that these those be been being"
)
# Right before a past participle these make it passive ("was told that"): the subject is the addressee.
PASSIVE_AUXILIARIES = word_set("was were is are been being")

FINITE_AUXILIARIES = word_set("is was were are has have had will would could can may might should must did does")
IRREGULAR_PAST = word_set(
    "went took made gave came saw sent won lost held kept left put set got began became brought bought built ran "
    "met rose fell grew spoke wrote told said thought found knew showed paid led sold hit cut struck stood sat "
    "drew fought chose broke spent felt heard meant"
)
# Lower-case words ending in -ed that are not verbs.
NOT_PAST_TENSE = word_set("need needed speed seed feed bed red hundred breed indeed shed bred")

PREPOSITIONS = word_set(
    "in on at during after before by for with from to outside inside through via over under into about against "
    "across behind near since until without within"
)
TIME_WORDS = word_set(
    "monday tuesday wednesday thursday friday saturday sunday week month year weekend morning evening afternoon "
    "night january february march april may june july august september october november december"
)
CLAUSE_WORDS = word_set("and but that while as when because although if where whereas or so")

NAME_PARTICLES = word_set("de van von der den da di du la le al el bin ibn ter y dos das del")

TITLE_WORDS = word_set(
    "president vice prime minister secretary deputy assistant acting general governor mayor senator sen rep "
    "representative congressman congresswoman judge justice chief dr doctor prof professor mr mrs ms miss sir "
    "dame lord lady king queen prince princess pope bishop rev reverend father captain capt coach manager "
    "director chairman chairwoman chair ceo commissioner ambassador councillor councilman councilwoman "
    "lieutenant colonel sergeant officer inspector superintendent detective attorney spokesman spokeswoman "
    "spokesperson treasurer former opposition interior foreign finance health education defence defense "
    "agriculture economy trade labour labor transport environment state u.s us uk eu un chancellor speaker "
    "leader head founder executive economist analyst scientist researcher regional federal national central "
    "senior top lead union planetary"
)
ORGANISATION_WORDS = word_set(
    "ministry department agency authority association union bank company corporation corp inc ltd llc group "
    "council service services university college school institute commission committee party foundation court "
    "police brigade securities capital research foods airlines airways office organisation organization "
    "federation board bureau trust fund club society network news times post herald tribune journal gazette "
    "press ledger daily today hospital force army navy parliament senate congress assembly government "
    "administration cabinet kremlin pentagon team partners holdings industries systems technologies labs media "
    "church center centre fc rovers united exchange market markets affairs"
)
GOVERNMENT_WORDS = word_set(
    "ministry government administration cabinet council commission parliament senate congress assembly kremlin "
    "pentagon department state republic kingdom house"
)
PLACE_WORDS = word_set(
    "road street square avenue lane bridge river sea lake mountain mountains park island islands valley coast "
    "bay station airport port hall tower stadium"
)

# Heads of descriptions that stand for a person ("the minister", "a top Pentagon official").
PERSON_NOUNS = word_set(
    "official minister spokesperson spokesman spokeswoman prosecutor judge coach manager director lawyer "
    "attorney president chairman chairwoman secretary governor mayor senator leader executive economist "
    "researcher scientist analyst doctor professor engineer source aide adviser advisor diplomat officer "
    "commander general captain chief founder candidate councillor treasurer author expert witness resident "
    "farmer owner player striker midfielder defender goalkeeper teacher nurse surgeon worker employee"
)
# Heads of descriptions that stand for an organisation ("the company", "the agency").
ORGANISATION_NOUNS = word_set(
    "company firm group agency authority ministry department bank union council government club court "
    "commission organisation organization association party brigade police service administration "
    "regulator board committee institute university hospital school network team office"
)
# Plural heads of descriptions that stand for a group ("Critics in parliament", "Residents").
GROUP_NOUNS = word_set(
    "critics residents analysts officials protesters farmers experts economists lawmakers prosecutors "
    "investigators researchers scientists doctors nurses teachers workers employees villagers witnesses "
    "activists campaigners supporters opponents parents students fans voters others people sources allies "
    "countries members staff police"
)
# Documents that make claims ("The report said", "A study found that").
DOCUMENT_NOUNS = word_set(
    "study report survey poll statement document letter filing memo analysis review audit paper data figures "
    "forecast ruling judgment verdict complaint lawsuit indictment note article"
)
# Indefinite descriptions of these stand for an unnamed source ("a senior official", "people familiar with").
UNNAMED_HEADS = word_set("source sources official officials people person insider insiders")

# A description's head also fits a speaker whose role has one of these words ("the official" -> a secretary).
ROLE_SYNONYMS = {
    "official": word_set(
        "secretary minister deputy assistant director commissioner ambassador spokesperson spokesman spokeswoman "
        "officer governor mayor president chief administrator adviser advisor envoy diplomat undersecretary"
    ),
    "executive": word_set("ceo chief president chairman chairwoman chair founder director"),
    "boss": word_set("ceo chief president chairman chairwoman director manager head coach"),
    "lawyer": word_set("attorney counsel barrister solicitor"),
    "attorney": word_set("lawyer counsel prosecutor"),
    "politician": word_set("minister senator mayor governor president councillor representative"),
}
