# The articles are news text: curly apostrophes and Turkish dotless i are part of what is tested.
"""Build articles.jsonl and speakers.json of the pre-annotation development set.

The articles and their gold attributions are written here as text; every offset is computed
by this script (never by hand), and every span is checked against the body before writing.
Run from the project root: `python tests/data/preannotation/build_articles.py`.

A mention names its content by its exact text (unique in the body unless `occurrence` says
which one); the source and cue are found as whole words nearest to the content, inside the
same paragraph. `--show` prints each mention in context so that a person can check it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent

SPEAKERS = [
    {"name": "Helena Brandt", "kind": "person", "aliases": ["Brandt", "Mayor Brandt"], "role": "Mayor of Lindenau"},
    {"name": "Lindenau City Council", "kind": "government", "aliases": ["the city council", "the council"]},
    {"name": "Metropolitan Transit Authority", "kind": "organisation", "aliases": ["MTA", "the transit authority"]},
    {"name": "Dariusz Wolny", "kind": "person", "aliases": ["Wolny"], "role": "Opposition councillor"},
    {"name": "Health Ministry", "kind": "government", "aliases": ["the ministry", "Ministry of Health"]},
    {
        "name": "Amara Osei",
        "kind": "person",
        "aliases": ["Osei", "Dr. Osei"],
        "role": "Chief of orthopaedic surgery, St. Columba's Hospital",
    },
    {"name": "Jonas Lindqvist", "kind": "person", "aliases": ["Lindqvist"], "role": "Health Minister"},
    {
        "name": "Fatima Haddad",
        "kind": "person",
        "aliases": ["Haddad"],
        "role": "General secretary of the nurses' union",
    },
    {"name": "Lumera", "kind": "organisation", "aliases": ["Lumera Inc."]},
    {"name": "Priya Raman", "kind": "person", "aliases": ["Raman"], "role": "Chief executive of Lumera"},
    {"name": "Tomás Ibáñez", "kind": "person", "aliases": ["Ibáñez"], "role": "Security researcher"},
    {"name": "Unnamed Lumera engineer", "kind": "unnamed", "aliases": ["a Lumera engineer"]},
    {"name": "Harlow Securities", "kind": "organisation", "aliases": []},
    {"name": "Ruth Álvarez", "kind": "person", "aliases": ["Álvarez"], "role": "Rovers head coach"},
    {"name": "Leon Mbeki", "kind": "person", "aliases": ["Mbeki"], "role": "Rovers captain"},
    {"name": "Pieter de Groot", "kind": "person", "aliases": ["de Groot"], "role": "Castlebridge manager"},
    {"name": "Rovers medical staff", "kind": "group", "aliases": ["the club’s medical staff"]},
    {"name": "National Weather Service", "kind": "organisation", "aliases": ["the weather service", "NWS"]},
    {"name": "Anneliese Vogt", "kind": "person", "aliases": ["Vogt", "Governor Vogt"], "role": "Regional Governor"},
    {"name": "Sarnow fire brigade", "kind": "organisation", "aliases": ["the fire brigade"]},
    {"name": "Sarnow residents", "kind": "group", "aliases": ["residents"]},
    {"name": "Marisol Quintero", "kind": "person", "aliases": ["Quintero", "Judge Quintero"], "role": "Chief Judge"},
    {"name": "Prosecutors", "kind": "group", "aliases": ["the prosecution"]},
    {"name": "Daniel Okonkwo", "kind": "person", "aliases": ["Okonkwo"], "role": "Lead prosecutor"},
    {"name": "Renata Silva", "kind": "person", "aliases": ["Silva"], "role": "Defence lawyer"},
    {"name": "Port of Calloway Authority", "kind": "organisation", "aliases": ["the port authority"]},
    {"name": "Central Bank of Marovia", "kind": "organisation", "aliases": ["the central bank", "the bank"]},
    {
        "name": "Elif Kaya",
        "kind": "person",
        "aliases": ["Kaya", "Governor Kaya"],
        "role": "Governor of the Central Bank of Marovia",
    },
    {"name": "Bogdan Petrescu", "kind": "person", "aliases": ["Petrescu"], "role": "Finance Minister"},
    {"name": "Nordic Space Agency", "kind": "organisation", "aliases": ["the agency", "NSA"]},
    {"name": "Sigrid Halvorsen", "kind": "person", "aliases": ["Halvorsen"], "role": "Mission director"},
    {"name": "Mehmet Yıldız", "kind": "person", "aliases": ["Yıldız", "Dr. Yıldız"], "role": "Planetary scientist"},
    {"name": "National Teachers' Union", "kind": "organisation", "aliases": ["the union", "NTU"]},
    {"name": "Grace Achterberg", "kind": "person", "aliases": ["Achterberg"], "role": "Union leader"},
    {"name": "Kwame Mensah", "kind": "person", "aliases": ["Mensah"], "role": "Education Minister"},
    {"name": "Association of Head Teachers", "kind": "organisation", "aliases": []},
    {"name": "Çağrı Öztürk", "kind": "person", "aliases": ["Öztürk"], "role": "Agriculture Minister"},
    {"name": "European Commission", "kind": "government", "aliases": ["Brussels", "the Commission"]},
    {"name": "Hazelnut Exporters' Association", "kind": "organisation", "aliases": []},
    {"name": "Hazelnut farmers", "kind": "group", "aliases": ["farmers"]},
]

# Speakers the gold names that are not in the catalogue: the annotator created them while annotating.
NEW_SPEAKERS = {
    "Ines Kowalczyk": "person",
    "Walter Brenner": "person",
    "Jan Horak": "person",
    "Ilse Marten": "person",
    "Critics in parliament": "group",
    "Lena Fischer": "person",
    "Hatice Demir": "person",
}


@dataclass(frozen=True)
class Gold:
    content: str
    speaker: str
    source: str | None
    cue: str | None
    quote_type: str
    occurrence: int = 0


def M(content: str, speaker: str, source: str | None, cue: str | None, quote_type: str, occurrence: int = 0) -> Gold:
    return Gold(content, speaker, source, cue, quote_type, occurrence)


ARTICLES = [
    {
        "external_id": "dev-01-tram",
        "title": "Tram extension delayed by a year, city admits",
        "source": "Lindenau Courier",
        "author": "Marta Seidel",
        "published_at": "2024-05-13T09:00:00+00:00",
        "body": (
            "The opening of the Eastside tram extension has been pushed back by at least twelve months, "
            "the city council confirmed on Monday.\n\n"
            "“We underestimated the state of the old sewer network under Harbour Road,” Mayor Helena Brandt said "
            "at a press conference. “That is on us, and I apologise to every resident who has lived with the "
            "roadworks.”\n\n"
            "She said the new opening date would be set once engineers had finished surveying the remaining two "
            "kilometres of track bed.\n\n"
            "According to the Metropolitan Transit Authority, the delay will add about 40 million euros to the "
            "project’s budget. The authority said in a statement: “No additional fare increases are planned to "
            "cover these costs.”\n\n"
            "Opposition councillor Dariusz Wolny was less forgiving. He said the mayor had been “hiding bad news "
            "until after the budget vote” and that the council had been warned about the sewers as early as 2021.\n\n"
            "Shop owners on Harbour Road have seen footfall fall by a third since the works began. The street’s "
            "bakery closed in March, and two cafés have cut their opening hours.\n\n"
            "“We were promised eighteen months of disruption. Now it is three years,” said Ines Kowalczyk, who "
            "runs a flower shop near the planned Market Square stop.\n\n"
            "Brandt said compensation for affected businesses would be discussed at the next council meeting."
        ),
        "mentions": [
            M(
                "The opening of the Eastside tram extension has been pushed back by at least twelve months",
                "Lindenau City Council",
                "the city council",
                "confirmed",
                "indirect",
            ),
            M(
                "We underestimated the state of the old sewer network under Harbour Road",
                "Helena Brandt",
                "Mayor Helena Brandt",
                "said",
                "direct",
            ),
            M(
                "That is on us, and I apologise to every resident who has lived with the roadworks.",
                "Helena Brandt",
                "Mayor Helena Brandt",
                "said",
                "direct",
            ),
            M(
                "the new opening date would be set once engineers had finished surveying the remaining two kilometres "
                "of track bed",
                "Helena Brandt",
                "She",
                "said",
                "indirect",
            ),
            M(
                "the delay will add about 40 million euros to the project’s budget",
                "Metropolitan Transit Authority",
                "the Metropolitan Transit Authority",
                "According to",
                "indirect",
            ),
            M(
                "No additional fare increases are planned to cover these costs.",
                "Metropolitan Transit Authority",
                "The authority",
                "said",
                "direct",
            ),
            M(
                "the mayor had been “hiding bad news until after the budget vote” and that the council had been warned "
                "about the sewers as early as 2021",
                "Dariusz Wolny",
                "He",
                "said",
                "mixed",
            ),
            M(
                "We were promised eighteen months of disruption. Now it is three years",
                "Ines Kowalczyk",
                "Ines Kowalczyk",
                "said",
                "direct",
            ),
            M(
                "compensation for affected businesses would be discussed at the next council meeting",
                "Helena Brandt",
                "Brandt",
                "said",
                "indirect",
            ),
        ],
    },
    {
        "external_id": "dev-02-surgery",
        "title": "Waiting times for knee surgery hit record high",
        "source": "Northern Herald",
        "author": "Tom Achebe",
        "published_at": "2024-06-20T07:30:00+00:00",
        "body": (
            "Patients in the northern region now wait an average of 61 weeks for a knee replacement, the longest "
            "since records began, according to figures published by the Health Ministry on Thursday.\n\n"
            "Dr. Amara Osei, chief of orthopaedic surgery at St. Columba’s Hospital, said the figures were “no "
            "surprise to anyone working on the wards.” Her department has lost eleven nurses since January, she "
            "said.\n\n"
            "“We have operating theatres standing empty on Fridays because there is nobody to staff them,” Osei "
            "told reporters. “It is a waste of public money and, worse, of patients’ lives.”\n\n"
            "Health Minister Jonas Lindqvist insisted that the trend would reverse by the end of the year. The "
            "ministry has funded 300 new training places for theatre nurses, he noted, adding that the first of "
            "them would qualify in September.\n\n"
            "The nurses’ union was sceptical. Its general secretary, Fatima Haddad, put it bluntly — “Training "
            "places mean nothing if people leave the job after two years.”\n\n"
            "The hospital expects to reopen its second orthopaedic ward in the autumn.\n\n"
            "Pensioner Walter Brenner, 72, has been waiting since 2023 for a new hip. “Some days I cannot get down "
            "the stairs,” he said. “I have stopped asking when it will be my turn.”"
        ),
        "mentions": [
            M(
                "Patients in the northern region now wait an average of 61 weeks for a knee replacement, the longest "
                "since records began",
                "Health Ministry",
                "the Health Ministry",
                "according to",
                "indirect",
            ),
            M(
                "the figures were “no surprise to anyone working on the wards.”",
                "Amara Osei",
                "Dr. Amara Osei",
                "said",
                "mixed",
            ),
            M("Her department has lost eleven nurses since January", "Amara Osei", "she", "said", "indirect"),
            M(
                "We have operating theatres standing empty on Fridays because there is nobody to staff them",
                "Amara Osei",
                "Osei",
                "told",
                "direct",
            ),
            M("It is a waste of public money and, worse, of patients’ lives.", "Amara Osei", "Osei", "told", "direct"),
            M(
                "the trend would reverse by the end of the year",
                "Jonas Lindqvist",
                "Health Minister Jonas Lindqvist",
                "insisted",
                "indirect",
            ),
            M(
                "The ministry has funded 300 new training places for theatre nurses",
                "Jonas Lindqvist",
                "he",
                "noted",
                "indirect",
            ),
            M("the first of them would qualify in September", "Jonas Lindqvist", "he", "adding", "indirect"),
            M(
                "Training places mean nothing if people leave the job after two years.",
                "Fatima Haddad",
                "Fatima Haddad",
                "put it",
                "direct",
            ),
            M("Some days I cannot get down the stairs", "Walter Brenner", "he", "said", "direct"),
            M("I have stopped asking when it will be my turn.", "Walter Brenner", "he", "said", "direct"),
        ],
    },
    {
        "external_id": "dev-03-breach",
        "title": "Lumera confirms breach of customer data",
        "source": "TechWire",
        "author": "Noor Hassan",
        "published_at": "2024-03-06T15:10:00+00:00",
        "body": (
            "Software maker Lumera said on Wednesday that hackers had accessed the names and email addresses of "
            "about 2.3 million customers, but insisted that no payment details were taken.\n\n"
            'In a statement, the company said: "We are contacting every affected customer directly and have reset '
            'their passwords as a precaution."\n\n'
            'Chief executive Priya Raman apologised in a video posted on the company\'s blog. "We let you down," '
            'she said. "We will publish a full account of what happened once the investigation is complete."\n\n'
            'The attackers exploited a so-called "zero-day" flaw in a file-transfer tool that Lumera licensed from '
            'a third party. The tool, marketed as "SecureDrop Pro", has since been withdrawn.\n\n'
            "Independent security researcher Tomás Ibáñez, who first spotted the stolen data on a criminal forum, "
            "said a Lumera engineer had told him that the company knew about the weakness in February. Lumera "
            "declined to comment on that account.\n\n"
            "Ibáñez said the data appeared to be on sale for 15,000 dollars in cryptocurrency.\n\n"
            "Data protection regulators in three countries have opened inquiries. The breach is likely to cost the "
            "company dearly, analysts at Harlow Securities wrote in a note to clients, estimating fines and "
            "compensation at up to 80 million dollars."
        ),
        "mentions": [
            M(
                "hackers had accessed the names and email addresses of about 2.3 million customers",
                "Lumera",
                "Software maker Lumera",
                "said",
                "indirect",
            ),
            M("no payment details were taken", "Lumera", "Software maker Lumera", "insisted", "indirect"),
            M(
                "We are contacting every affected customer directly and have reset their passwords as a precaution.",
                "Lumera",
                "the company",
                "said",
                "direct",
            ),
            M("We let you down", "Priya Raman", "she", "said", "direct"),
            M(
                "We will publish a full account of what happened once the investigation is complete.",
                "Priya Raman",
                "she",
                "said",
                "direct",
            ),
            M(
                "the company knew about the weakness in February",
                "Unnamed Lumera engineer",
                "a Lumera engineer",
                "told",
                "indirect",
            ),
            M(
                "the data appeared to be on sale for 15,000 dollars in cryptocurrency",
                "Tomás Ibáñez",
                "Ibáñez",
                "said",
                "indirect",
            ),
            M(
                "The breach is likely to cost the company dearly",
                "Harlow Securities",
                "analysts at Harlow Securities",
                "wrote",
                "indirect",
            ),
        ],
    },
    {
        "external_id": "dev-04-football",
        "title": "Álvarez stays calm as Rovers slip to fourth",
        "source": "Sports Daily",
        "author": "Kevin Doyle",
        "published_at": "2024-11-02T19:45:00+00:00",
        "body": (
            "Rovers head coach Ruth Álvarez refused to blame her defence after a 2-1 home defeat to Castlebridge on "
            "Saturday left the club fourth in the table.\n\n"
            "“We dominated for seventy minutes and conceded from two set pieces,” she said. “Football is cruel "
            "sometimes, but I would sign up for that performance every week.”\n\n"
            "Captain Leon Mbeki, who limped off with a hamstring injury before half-time, is expected to miss at "
            "least three weeks, according to the club’s medical staff.\n\n"
            "Alvarez said Mbeki would be “badly missed” in the dressing room, not just on the pitch.\n\n"
            "Castlebridge manager Pieter de Groot praised his side’s resilience. “We knew we would have to suffer,” "
            "the Dutchman told the club’s television channel. Asked whether his team could challenge for the "
            "title, he laughed: “Ask me again in April.”\n\n"
            "The visitors’ winner came in the 83rd minute, when substitute Kofi Adjei headed in a corner at the "
            "near post. It was his first goal since returning from a knee injury in October.\n\n"
            "“We go to Westport to win, nothing else.” — Ruth Álvarez, speaking to the supporters’ trust on "
            "Sunday.\n\n"
            "Rovers travel to league leaders Westport next weekend. Tickets for the away end sold out within an hour."
        ),
        "mentions": [
            M(
                "We dominated for seventy minutes and conceded from two set pieces",
                "Ruth Álvarez",
                "she",
                "said",
                "direct",
            ),
            M(
                "Football is cruel sometimes, but I would sign up for that performance every week.",
                "Ruth Álvarez",
                "she",
                "said",
                "direct",
            ),
            M(
                "Captain Leon Mbeki, who limped off with a hamstring injury before half-time, is expected to miss at "
                "least three weeks",
                "Rovers medical staff",
                "the club’s medical staff",
                "according to",
                "indirect",
            ),
            M(
                "Mbeki would be “badly missed” in the dressing room, not just on the pitch",
                "Ruth Álvarez",
                "Alvarez",
                "said",
                "mixed",
            ),
            M("We knew we would have to suffer", "Pieter de Groot", "the Dutchman", "told", "direct"),
            M("Ask me again in April.", "Pieter de Groot", "he", "laughed", "direct"),
            M("We go to Westport to win, nothing else.", "Ruth Álvarez", "Ruth Álvarez", None, "direct"),
        ],
    },
    {
        "external_id": "dev-05-flood",
        "title": "Hundreds evacuated as river Vessa bursts its banks",
        "source": "Sarnow Morning Post",
        "author": "Eva Lindgren",
        "published_at": "2024-09-14T06:15:00+00:00",
        "body": (
            "More than 600 people were evacuated from low-lying districts of Sarnow overnight after the river "
            "Vessa burst its banks following three days of heavy rain.\n\n"
            "The river peaked at 6.8 metres shortly after 2 a.m., according to the National Weather Service, which "
            "warned that more rain was expected on Friday.\n\n"
            "Regional Governor Anneliese Vogt said the emergency services had reached everyone who asked for help. "
            '"No one has been left behind," Vogt told a briefing in the town hall. "But I ask people not to return '
            'to their homes until the water has gone down."\n\n'
            "A spokesman for the fire brigade said crews had rescued 43 people from rooftops and upper floors.\n\n"
            "The flood defences built after the 2013 disaster held along most of the river, but a section near the "
            "old railway bridge gave way. Vogt said an inquiry would examine why.\n\n"
            'Residents said the warning came too late. "The siren went off when the water was already in the '
            'kitchen," said Jan Horak, 58, who spent the night in a school gym with his wife and two dogs. "Where '
            'were the sandbags they promised us?" he asked.\n\n'
            "The weather service expects the river to fall below the danger mark by Sunday."
        ),
        "mentions": [
            M(
                "The river peaked at 6.8 metres shortly after 2 a.m.",
                "National Weather Service",
                "the National Weather Service",
                "according to",
                "indirect",
            ),
            M("more rain was expected on Friday", "National Weather Service", "which", "warned", "indirect"),
            M(
                "the emergency services had reached everyone who asked for help",
                "Anneliese Vogt",
                "Regional Governor Anneliese Vogt",
                "said",
                "indirect",
            ),
            M("No one has been left behind", "Anneliese Vogt", "Vogt", "told", "direct"),
            M(
                "But I ask people not to return to their homes until the water has gone down.",
                "Anneliese Vogt",
                "Vogt",
                "told",
                "direct",
            ),
            M(
                "crews had rescued 43 people from rooftops and upper floors",
                "Sarnow fire brigade",
                "A spokesman for the fire brigade",
                "said",
                "indirect",
            ),
            M("an inquiry would examine why", "Anneliese Vogt", "Vogt", "said", "indirect"),
            M("the warning came too late", "Sarnow residents", "Residents", "said", "indirect"),
            M(
                "The siren went off when the water was already in the kitchen",
                "Jan Horak",
                "Jan Horak",
                "said",
                "direct",
            ),
            M("Where were the sandbags they promised us?", "Jan Horak", "he", "asked", "direct"),
            M(
                "the river to fall below the danger mark by Sunday",
                "National Weather Service",
                "The weather service",
                "expects",
                "indirect",
            ),
        ],
    },
    {
        "external_id": "dev-06-court",
        "title": "Former port director jailed for six years over bribery",
        "source": "Calloway Gazette",
        "author": "Ruth Mendel",
        "published_at": "2024-02-27T17:00:00+00:00",
        "body": (
            "A former director of the Port of Calloway was sentenced to six years in prison on Tuesday for "
            "accepting bribes from shipping firms in exchange for berth allocations.\n\n"
            "Chief Judge Marisol Quintero told the court that Edmund Price had “betrayed the trust of every honest "
            "business in the port.” She ordered him to repay 1.4 million dollars.\n\n"
            "Prosecutors said Price took payments over nine years, hiding the money in accounts held by his "
            "brother-in-law. The lead prosecutor, Daniel Okonkwo, told jurors during the trial that the scheme was "
            "“greed, plain and simple.”\n\n"
            "Price’s lawyer, Renata Silva, said her client would appeal. “The sentence is out of all proportion to "
            "what the jury actually found,” Silva said outside the courthouse. “We are confident the appeal court "
            "will see that.”\n\n"
            "Berth allocation rules have since changed. According to the port authority, all allocations are now "
            "published online within 24 hours.\n\n"
            "Price, 61, showed no emotion as the sentence was read. His wife and two adult children sat in the "
            "public gallery.\n\n"
            "The prosecutor welcomed the verdict. “It sends a clear message that corruption in public bodies will "
            "be punished,” he said."
        ),
        "mentions": [
            M(
                "Edmund Price had “betrayed the trust of every honest business in the port.”",
                "Marisol Quintero",
                "Chief Judge Marisol Quintero",
                "told",
                "mixed",
            ),
            M(
                "Price took payments over nine years, hiding the money in accounts held by his brother-in-law",
                "Prosecutors",
                "Prosecutors",
                "said",
                "indirect",
            ),
            M("the scheme was “greed, plain and simple.”", "Daniel Okonkwo", "Daniel Okonkwo", "told", "mixed"),
            M("her client would appeal", "Renata Silva", "Renata Silva", "said", "indirect"),
            M(
                "The sentence is out of all proportion to what the jury actually found",
                "Renata Silva",
                "Silva",
                "said",
                "direct",
            ),
            M("We are confident the appeal court will see that.", "Renata Silva", "Silva", "said", "direct"),
            M(
                "all allocations are now published online within 24 hours",
                "Port of Calloway Authority",
                "the port authority",
                "According to",
                "indirect",
            ),
            M(
                "It sends a clear message that corruption in public bodies will be punished",
                "Daniel Okonkwo",
                "he",
                "said",
                "direct",
            ),
        ],
    },
    {
        "external_id": "dev-07-rates",
        "title": "Central bank raises rates for the third time this year",
        "source": "Marovia Business Review",
        "author": "Irina Popa",
        "published_at": "2024-10-31T12:00:00+00:00",
        "body": (
            "The Central Bank of Marovia raised its main interest rate by half a percentage point to 5.25 per cent "
            "on Thursday, saying inflation was falling more slowly than expected.\n\n"
            "Governor Elif Kaya was quoted as saying by the state news agency that the bank “will not hesitate to "
            "act again” if prices kept rising. At a press conference later, she was more cautious: “We are not on "
            "a pre-set path. Every decision will depend on the data.”\n\n"
            "Finance Minister Bogdan Petrescu, who has repeatedly called for cheaper credit, said the decision would "
            "hurt small businesses. “Higher rates,” he wrote on social media, “mean fewer jobs and emptier "
            "shops.”\n\n"
            "Most economists had expected the move. Inflation stood at 7.9 per cent in October, more than double "
            "the bank’s target of 3 per cent.\n\n"
            "According to Ilse Marten, chief economist at Nordfeld Bank, the rise may be the last of the cycle. "
            "“The labour market is already cooling,” she said, pointing to a drop in job vacancies.\n\n"
            "The Marovian lira rose 0.6 per cent against the euro after the announcement."
        ),
        "mentions": [
            M(
                "inflation was falling more slowly than expected",
                "Central Bank of Marovia",
                "The Central Bank of Marovia",
                "saying",
                "indirect",
            ),
            M(
                "the bank “will not hesitate to act again” if prices kept rising",
                "Elif Kaya",
                "Governor Elif Kaya",
                "was quoted as saying",
                "mixed",
            ),
            M(
                "We are not on a pre-set path. Every decision will depend on the data.",
                "Elif Kaya",
                "she",
                None,
                "direct",
            ),
            M(
                "the decision would hurt small businesses",
                "Bogdan Petrescu",
                "Finance Minister Bogdan Petrescu",
                "said",
                "indirect",
            ),
            M("Higher rates", "Bogdan Petrescu", "he", "wrote", "direct"),
            M("mean fewer jobs and emptier shops.", "Bogdan Petrescu", "he", "wrote", "direct"),
            M("the rise may be the last of the cycle", "Ilse Marten", "Ilse Marten", "According to", "indirect"),
            M("The labour market is already cooling", "Ilse Marten", "she", "said", "direct"),
        ],
    },
    {
        "external_id": "dev-08-asteroid",
        "title": "Nordic probe sends first images from asteroid",
        "source": "Science Today",
        "author": "Anders Berg",
        "published_at": "2024-08-08T10:20:00+00:00",
        "body": (
            "The Nordic Space Agency’s Valkyrie probe has sent back its first close-up images of the asteroid "
            "2019 KX7, eight months after launch.\n\n"
            "The pictures show a rubble-strewn surface with at least two craters wider than a kilometre. The probe "
            "is now orbiting the asteroid at a distance of about 40 kilometres and will descend gradually over the "
            "coming weeks.\n\n"
            "“Honestly, we did not expect it to look this rough,” mission director Sigrid Halvorsen told reporters "
            "in Tromsø. “Landing is going to be harder than we planned for.”\n\n"
            "Halvorsen, whose memoir “Reaching Orbit” was published last year, said the team would spend a month "
            "mapping the surface before choosing a landing site.\n\n"
            "The project has cost 480 million euros so far. Critics in parliament say it is a “vanity mission”, "
            "but the agency says it has already paid for itself in scientific papers and industrial contracts.\n\n"
            "Planetary scientist Dr. Mehmet Yıldız of the University of Bergen, who is not involved in the mission, "
            "said the images were “spectacular” and could change how researchers think about small asteroids. The "
            "craters suggest a violent past, he added.\n\n"
            "The agency plans to release the full image set to the public in January."
        ),
        "mentions": [
            M(
                "Honestly, we did not expect it to look this rough",
                "Sigrid Halvorsen",
                "mission director Sigrid Halvorsen",
                "told",
                "direct",
            ),
            M(
                "Landing is going to be harder than we planned for.",
                "Sigrid Halvorsen",
                "mission director Sigrid Halvorsen",
                "told",
                "direct",
            ),
            M(
                "the team would spend a month mapping the surface before choosing a landing site",
                "Sigrid Halvorsen",
                "Halvorsen",
                "said",
                "indirect",
            ),
            M("it is a “vanity mission”", "Critics in parliament", "Critics in parliament", "say", "mixed"),
            M(
                "it has already paid for itself in scientific papers and industrial contracts",
                "Nordic Space Agency",
                "the agency",
                "says",
                "indirect",
            ),
            M(
                "the images were “spectacular” and could change how researchers think about small asteroids",
                "Mehmet Yıldız",
                "Planetary scientist Dr. Mehmet Yıldız",
                "said",
                "mixed",
            ),
            M("The craters suggest a violent past", "Mehmet Yıldız", "he", "added", "indirect"),
        ],
    },
    {
        "external_id": "dev-09-strike",
        "title": "Teachers vote to strike over pay",
        "source": "The Capital Courier",
        "author": "Sam Okoro",
        "published_at": "2024-02-09T18:00:00+00:00",
        "body": (
            "Secondary school teachers will walk out for two days next month after members of the National "
            "Teachers' Union voted overwhelmingly for strike action, the union announced on Friday.\n\n"
            'Union leader Grace Achterberg says 87 per cent of those who voted backed the strike. "Teachers have '
            'had a real-terms pay cut every year for a decade," she said. "We are not asking for a favour. We are '
            'asking for what we are owed."\n\n'
            "Education Minister Kwame Mensah argued the government's offer of 4 per cent was \"fair and "
            'affordable" and urged the union to return to talks.\n\n'
            '"Strikes hurt children, not ministers," the minister said on Saturday morning radio. He added that '
            "schools would try to stay open for pupils with exams.\n\n"
            "Parents' groups are divided. Lena Fischer, who chairs the Parent Council in the capital, said most "
            'parents she had spoken to supported the teachers. "People understand that you cannot run schools '
            'without staff," she told the Courier.\n\n'
            "A spokesperson for the Association of Head Teachers warned that some schools already had more than "
            "ten vacant posts and that a strike could push experienced staff to leave.\n\n"
            "The strike days are planned for March 12 and 13."
        ),
        "mentions": [
            M(
                "Secondary school teachers will walk out for two days next month after members of the National "
                "Teachers' Union voted overwhelmingly for strike action",
                "National Teachers' Union",
                "the union",
                "announced",
                "indirect",
            ),
            M(
                "87 per cent of those who voted backed the strike",
                "Grace Achterberg",
                "Union leader Grace Achterberg",
                "says",
                "indirect",
            ),
            M(
                "Teachers have had a real-terms pay cut every year for a decade",
                "Grace Achterberg",
                "she",
                "said",
                "direct",
            ),
            M(
                "We are not asking for a favour. We are asking for what we are owed.",
                "Grace Achterberg",
                "she",
                "said",
                "direct",
            ),
            M(
                'the government\'s offer of 4 per cent was "fair and affordable"',
                "Kwame Mensah",
                "Education Minister Kwame Mensah",
                "argued",
                "mixed",
            ),
            M("Strikes hurt children, not ministers", "Kwame Mensah", "the minister", "said", "direct"),
            M("schools would try to stay open for pupils with exams", "Kwame Mensah", "He", "added", "indirect"),
            M(
                "most parents she had spoken to supported the teachers",
                "Lena Fischer",
                "Lena Fischer",
                "said",
                "indirect",
            ),
            M("People understand that you cannot run schools without staff", "Lena Fischer", "she", "told", "direct"),
            M(
                "some schools already had more than ten vacant posts and that a strike could push experienced staff "
                "to leave",
                "Association of Head Teachers",
                "A spokesperson for the Association of Head Teachers",
                "warned",
                "indirect",
            ),
        ],
    },
    {
        "external_id": "dev-10-hazelnuts",
        "title": "Hazelnut farmers protest as export quotas tighten",
        "source": "Black Sea Observer",
        "author": "Deniz Aksoy",
        "published_at": "2024-09-02T08:40:00+00:00",
        "body": (
            "Thousands of hazelnut farmers rallied in the Black Sea port of Ordu on Sunday against new export "
            "quotas that they say will halve their income.\n\n"
            "Agriculture Minister Çağrı Öztürk defended the quotas, which limit exports to the European Union to "
            "180,000 tonnes this season. “The quotas protect domestic processors and keep prices stable,” Ozturk "
            "said in a televised interview.\n\n"
            "Farmers see it differently. “Prices are already falling — the quotas will finish us,” said Hatice "
            "Demir, who farms eight hectares near Giresun.\n\n"
            "The European Commission said it had not been consulted. A Commission spokesperson told reporters that "
            "Brussels was “studying the measures carefully” and would respond “in due course.”\n\n"
            "According to the Hazelnut Exporters’ Association, about 40 per cent of this year’s harvest is still in "
            "storage.\n\n"
            "Ozturk later suggested the quotas could be eased if the autumn harvest was smaller than forecast. The "
            "minister said: “Nothing is set in stone.”\n\n"
            "Hazelnuts are grown on around 700,000 hectares in the region, and the crop supports some 400,000 "
            "families."
        ),
        "mentions": [
            M("will halve their income", "Hazelnut farmers", "they", "say", "indirect"),
            M(
                "The quotas protect domestic processors and keep prices stable",
                "Çağrı Öztürk",
                "Ozturk",
                "said",
                "direct",
            ),
            M(
                "Prices are already falling — the quotas will finish us",
                "Hatice Demir",
                "Hatice Demir",
                "said",
                "direct",
            ),
            M("it had not been consulted", "European Commission", "The European Commission", "said", "indirect"),
            M(
                "Brussels was “studying the measures carefully” and would respond “in due course.”",
                "European Commission",
                "A Commission spokesperson",
                "told",
                "mixed",
            ),
            M(
                "about 40 per cent of this year’s harvest is still in storage",
                "Hazelnut Exporters' Association",
                "the Hazelnut Exporters’ Association",
                "According to",
                "indirect",
            ),
            M(
                "the quotas could be eased if the autumn harvest was smaller than forecast",
                "Çağrı Öztürk",
                "Ozturk",
                "suggested",
                "indirect",
            ),
            M("Nothing is set in stone.", "Çağrı Öztürk", "The minister", "said", "direct"),
        ],
    },
]


# Held out: written with the development set, before any rule, and only evaluated once the rules were done.
HELDOUT_SPEAKERS = [
    {"name": "Paolo Ferraro", "kind": "person", "aliases": ["Ferraro"], "role": "Interior Minister"},
    {
        "name": "Regional civil protection agency",
        "kind": "organisation",
        "aliases": ["the civil protection agency", "the agency"],
    },
    {"name": "Valdoria police", "kind": "organisation", "aliases": ["police", "the local police"]},
    {"name": "Brightwell Foods", "kind": "organisation", "aliases": ["Brightwell"]},
    {"name": "Castellan", "kind": "organisation", "aliases": []},
    {"name": "Naomi Frost", "kind": "person", "aliases": ["Frost"], "role": "Chief executive of Brightwell Foods"},
    {"name": "Victor Lindahl", "kind": "person", "aliases": ["Lindahl"], "role": "Founder of Castellan"},
    {"name": "Marcus Feld", "kind": "person", "aliases": ["Feld"], "role": "Analyst at Ridgeway Capital"},
    {"name": "Linda Okafor", "kind": "person", "aliases": ["Okafor"], "role": "Senate candidate"},
    {"name": "Graham Whitlock", "kind": "person", "aliases": ["Whitlock"], "role": "Senate candidate"},
    {"name": "Harmon Research", "kind": "organisation", "aliases": []},
    {"name": "University of Eastfield researchers", "kind": "group", "aliases": ["the researchers"]},
    {"name": "Hannah Lowe", "kind": "person", "aliases": ["Lowe", "Professor Lowe"], "role": "Lead author"},
    {"name": "Rafael Ortiz", "kind": "person", "aliases": ["Ortiz"], "role": "Cardiologist"},
    {"name": "Health ministry", "kind": "government", "aliases": ["the health ministry"]},
]

HELDOUT_NEW_SPEAKERS = {
    "Carla Benedetti": "person",
    "Giuseppe Marini": "person",
    "People familiar with the negotiations": "unnamed",
    "Other analysts": "group",
    "Tessa Byrne": "person",
}

HELDOUT = [
    {
        "external_id": "heldout-01-wildfire",
        "title": "Wildfire forces evacuation of mountain villages",
        "source": "Valdoria Today",
        "author": "Lucia Conti",
        "published_at": "2024-07-24T11:00:00+00:00",
        "body": (
            "Firefighters were battling a wildfire on the slopes above Valdoria on Wednesday after strong winds "
            "pushed the flames towards three mountain villages.\n\n"
            "About 1,200 residents were ordered to leave their homes overnight. The regional civil protection "
            "agency said the fire had burned more than 900 hectares since Monday and was only 20 per cent "
            "contained.\n\n"
            "“The next 24 hours are critical,” said Carla Benedetti, a spokeswoman for the agency. “If the wind "
            "turns this evening, we could lose control of the eastern flank.”\n\n"
            "Police believe the fire was started by a discarded cigarette near a hiking trail. An investigation "
            "is under way.\n\n"
            "Interior Minister Paolo Ferraro, who visited the command centre in the afternoon, promised that the "
            "government would compensate families who lost property. He told reporters the army had sent four "
            "helicopters and 150 soldiers to help.\n\n"
            "Some villagers refused to leave. “I was born in this house and I will not abandon it,” 81-year-old "
            "Giuseppe Marini told local television, standing in his garden as ash fell around him.\n\n"
            "The minister said evacuation orders would stay in place at least until Friday."
        ),
        "mentions": [
            M(
                "the fire had burned more than 900 hectares since Monday and was only 20 per cent contained",
                "Regional civil protection agency",
                "The regional civil protection agency",
                "said",
                "indirect",
            ),
            M("The next 24 hours are critical", "Carla Benedetti", "Carla Benedetti", "said", "direct"),
            M(
                "If the wind turns this evening, we could lose control of the eastern flank.",
                "Carla Benedetti",
                "Carla Benedetti",
                "said",
                "direct",
            ),
            M(
                "the fire was started by a discarded cigarette near a hiking trail",
                "Valdoria police",
                "Police",
                "believe",
                "indirect",
            ),
            M(
                "the government would compensate families who lost property",
                "Paolo Ferraro",
                "Interior Minister Paolo Ferraro",
                "promised",
                "indirect",
            ),
            M("the army had sent four helicopters and 150 soldiers to help", "Paolo Ferraro", "He", "told", "indirect"),
            M(
                "I was born in this house and I will not abandon it",
                "Giuseppe Marini",
                "81-year-old Giuseppe Marini",
                "told",
                "direct",
            ),
            M(
                "evacuation orders would stay in place at least until Friday",
                "Paolo Ferraro",
                "The minister",
                "said",
                "indirect",
            ),
        ],
    },
    {
        "external_id": "heldout-02-merger",
        "title": "Brightwell agrees to buy rival Castellan in $4.1bn deal",
        "source": "Market Ledger",
        "author": "Owen Pike",
        "published_at": "2024-09-23T13:30:00+00:00",
        "body": (
            "Brightwell Foods has agreed to buy its smaller rival Castellan for 4.1 billion dollars, creating the "
            "country’s second-largest maker of frozen meals, the company said on Monday.\n\n"
            "Brightwell’s chief executive, Naomi Frost, called the deal “a once-in-a-generation opportunity” and "
            "said the combined company would save about 150 million dollars a year by 2027. “Our brands fit "
            "together naturally,” she said in a conference call with analysts.\n\n"
            "The deal still needs approval from competition regulators. People familiar with the negotiations said "
            "talks had nearly collapsed twice over the price, most recently in July.\n\n"
            "Castellan’s founder, Victor Lindahl, who owns 18 per cent of the company, told the Financial Ledger "
            "that he would vote for the deal. “It was not an easy decision — Castellan is my life’s work,” Lindahl "
            "said.\n\n"
            "Shares in Castellan jumped 22 per cent on the news. Brightwell’s shares fell 3 per cent.\n\n"
            "Analysts were divided. Marcus Feld of Ridgeway Capital warned that Brightwell was paying “a very full "
            "price” for a business whose sales had shrunk for three years in a row. Others said the cost savings "
            "looked achievable.\n\n"
            "Brightwell expects the deal to close in the first half of next year."
        ),
        "mentions": [
            M(
                "Brightwell Foods has agreed to buy its smaller rival Castellan for 4.1 billion dollars, creating the "
                "country’s second-largest maker of frozen meals",
                "Brightwell Foods",
                "the company",
                "said",
                "indirect",
            ),
            M("the deal “a once-in-a-generation opportunity”", "Naomi Frost", "Naomi Frost", "called", "mixed"),
            M(
                "the combined company would save about 150 million dollars a year by 2027",
                "Naomi Frost",
                "Naomi Frost",
                "said",
                "indirect",
            ),
            M("Our brands fit together naturally", "Naomi Frost", "she", "said", "direct"),
            M(
                "talks had nearly collapsed twice over the price, most recently in July",
                "People familiar with the negotiations",
                "People familiar with the negotiations",
                "said",
                "indirect",
            ),
            M("he would vote for the deal", "Victor Lindahl", "Victor Lindahl", "told", "indirect"),
            M(
                "It was not an easy decision — Castellan is my life’s work",
                "Victor Lindahl",
                "Lindahl",
                "said",
                "direct",
            ),
            M(
                "Brightwell was paying “a very full price” for a business whose sales had shrunk for three years in "
                "a row",
                "Marcus Feld",
                "Marcus Feld",
                "warned",
                "mixed",
            ),
            M("the cost savings looked achievable", "Other analysts", "Others", "said", "indirect"),
            M(
                "the deal to close in the first half of next year",
                "Brightwell Foods",
                "Brightwell",
                "expects",
                "indirect",
            ),
        ],
    },
    {
        "external_id": "heldout-03-debate",
        "title": "Senate candidates clash over housing in final debate",
        "source": "Westmarch Tribune",
        "author": "Jill Navarro",
        "published_at": "2024-10-30T06:00:00+00:00",
        "body": (
            "The two candidates for the open Senate seat in Westmarch clashed over housing and taxes on Tuesday "
            "night in their final televised debate before the election.\n\n"
            "Former state treasurer Linda Okafor said the housing shortage was “the defining issue of this decade” "
            "and promised to build 40,000 affordable homes in four years. Her opponent, businessman Graham "
            "Whitlock, dismissed the plan as unaffordable.\n\n"
            "“You cannot build your way out of this with borrowed money,” Whitlock said. “Every dollar of debt is a "
            "tax on our children.”\n\n"
            "Okafor replied that the state already spent more on emergency shelters than the plan would cost. She "
            "accused Whitlock of having “no plan at all” beyond tax cuts.\n\n"
            "On crime, the two were closer. Whitlock said he would hire more police officers and fund them by "
            "cutting the state’s arts budget.\n\n"
            "Polls show the race within the margin of error. A survey by Harmon Research released on Monday put "
            "Okafor at 47 per cent and Whitlock at 45 per cent.\n\n"
            "Okafor’s campaign manager, Tessa Byrne, said after the debate: “Linda won this tonight, and the voters "
            "saw it.”\n\n"
            "Early voting begins on Saturday."
        ),
        "mentions": [
            M(
                "the housing shortage was “the defining issue of this decade”",
                "Linda Okafor",
                "Former state treasurer Linda Okafor",
                "said",
                "mixed",
            ),
            M(
                "You cannot build your way out of this with borrowed money",
                "Graham Whitlock",
                "Whitlock",
                "said",
                "direct",
            ),
            M("Every dollar of debt is a tax on our children.", "Graham Whitlock", "Whitlock", "said", "direct"),
            M(
                "the state already spent more on emergency shelters than the plan would cost",
                "Linda Okafor",
                "Okafor",
                "replied",
                "indirect",
            ),
            M("Whitlock of having “no plan at all” beyond tax cuts", "Linda Okafor", "She", "accused", "mixed"),
            M(
                "he would hire more police officers and fund them by cutting the state’s arts budget",
                "Graham Whitlock",
                "Whitlock",
                "said",
                "indirect",
            ),
            M("Linda won this tonight, and the voters saw it.", "Tessa Byrne", "Tessa Byrne", "said", "direct"),
        ],
    },
    {
        "external_id": "heldout-04-walking",
        "title": "Daily walk cuts risk of heart disease, large study finds",
        "source": "Health Weekly",
        "author": "Priti Shah",
        "published_at": "2024-04-18T08:00:00+00:00",
        "body": (
            "People who walk for at least 30 minutes a day are a third less likely to develop heart disease than "
            "those who rarely walk, according to a study of 85,000 adults published on Thursday.\n\n"
            "The researchers, from the University of Eastfield, followed the participants for twelve years. They "
            "found that the benefit held regardless of age, weight or whether people also did other exercise.\n\n"
            "“The message is simple: any walking is better than none,” said the study’s lead author, Professor "
            "Hannah Lowe. She added that even short walks after meals appeared to lower blood pressure.\n\n"
            "The study, published in the journal “Heart & Health”, was funded by the national research council.\n\n"
            "Not everyone is convinced. Dr. Rafael Ortiz, a cardiologist who was not involved in the research, "
            "said the findings were “encouraging but not conclusive” because people who walk more may simply be "
            "healthier to begin with.\n\n"
            "“Observational studies like this cannot prove cause and effect,” Ortiz said.\n\n"
            "The health ministry said it would consider the study when updating its exercise guidelines next year."
        ),
        "mentions": [
            M(
                "People who walk for at least 30 minutes a day are a third less likely to develop heart disease than "
                "those who rarely walk",
                "University of Eastfield researchers",
                "a study of 85,000 adults",
                "according to",
                "indirect",
            ),
            M(
                "the benefit held regardless of age, weight or whether people also did other exercise",
                "University of Eastfield researchers",
                "They",
                "found",
                "indirect",
            ),
            M(
                "The message is simple: any walking is better than none",
                "Hannah Lowe",
                "Professor Hannah Lowe",
                "said",
                "direct",
            ),
            M(
                "even short walks after meals appeared to lower blood pressure",
                "Hannah Lowe",
                "She",
                "added",
                "indirect",
            ),
            M(
                "the findings were “encouraging but not conclusive” because people who walk more may simply be "
                "healthier to begin with",
                "Rafael Ortiz",
                "Dr. Rafael Ortiz",
                "said",
                "mixed",
            ),
            M(
                "Observational studies like this cannot prove cause and effect",
                "Rafael Ortiz",
                "Ortiz",
                "said",
                "direct",
            ),
            M(
                "it would consider the study when updating its exercise guidelines next year",
                "Health ministry",
                "The health ministry",
                "said",
                "indirect",
            ),
        ],
    },
]


def paragraph_bounds(body: str, position: int) -> tuple[int, int]:
    start = body.rfind("\n\n", 0, position)
    end = body.find("\n\n", position)
    return (0 if start < 0 else start + 2), (len(body) if end < 0 else end)


def find_content(body: str, gold: Gold) -> int:
    hits = [m.start() for m in re.finditer(re.escape(gold.content), body)]
    if not hits:
        raise SystemExit(f"content not in body: {gold.content!r}")
    if len(hits) > 1 and gold.occurrence == 0 and len(hits) != 1:
        raise SystemExit(f"content occurs {len(hits)} times, give occurrence: {gold.content!r}")
    return hits[gold.occurrence]


def find_near(body: str, words: str, start: int, end: int) -> dict:
    """The whole-word occurrence of `words` in the content's paragraph nearest to [start, end), outside it."""
    low, high = paragraph_bounds(body, start)
    pattern = re.compile(r"(?<!\w)" + re.escape(words) + r"(?!\w)")
    hits = [m for m in pattern.finditer(body, low, high) if m.end() <= start or m.start() >= end]
    if not hits:
        raise SystemExit(f"{words!r} not found near {body[start:end]!r}")
    best = min(hits, key=lambda m: start - m.end() if m.end() <= start else m.start() - end)
    return {"start": best.start(), "end": best.end(), "text": best.group()}


def speaker_ref(name: str) -> dict:
    catalogues = SPEAKERS + HELDOUT_SPEAKERS
    kinds = {speaker["name"]: speaker["kind"] for speaker in catalogues} | NEW_SPEAKERS | HELDOUT_NEW_SPEAKERS
    return {"name": name, "kind": kinds[name]}


def mention(body: str, gold: Gold) -> dict:
    start = find_content(body, gold)
    end = start + len(gold.content)
    return {
        "start": start,
        "end": end,
        "text": body[start:end],
        "speaker": speaker_ref(gold.speaker),
        "source": find_near(body, gold.source, start, end) if gold.source else None,
        "cue": find_near(body, gold.cue, start, end) if gold.cue else None,
        "quote_type": gold.quote_type,
        "claim": None,
        "stance": None,
    }


def line(spec: dict) -> dict:
    body = spec["body"]
    mentions = sorted((mention(body, gold) for gold in spec["mentions"]), key=lambda m: (m["start"], m["end"]))
    article = {
        "external_id": spec["external_id"],
        "title": spec["title"],
        "body": body,
        "body_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "source": spec["source"],
        "url": "",
        "author": spec["author"],
        "published_at": spec["published_at"],
        "language": "en",
        "metadata": {"dataset": "preannotation-dev"},
    }
    annotation = {"annotator": "gold", "gold": True, "status": "submitted", "mentions": mentions, "article_stances": []}
    return {"article": article, "annotations": [annotation]}


def show(record: dict) -> None:
    body = record["article"]["body"]
    print(f"== {record['article']['external_id']} ({len(body.split())} words)")
    for m in record["annotations"][0]["mentions"]:
        spans = [(m["start"], m["end"], "[", "]")]
        for key, marks in (("source", ("<", ">")), ("cue", ("{", "}"))):
            if m[key]:
                spans.append((m[key]["start"], m[key]["end"], *marks))
        low = min(s[0] for s in spans)
        high = max(s[1] for s in spans)
        text = body[low:high]
        for start, end, left, right in sorted(spans, key=lambda s: -s[0]):
            text = text[: end - low] + right + text[end - low :]
            text = text[: start - low] + left + text[start - low :]
        print(f"  {m['quote_type']:8} {m['speaker']['name']:28} {text}")


def write(articles: list[dict], speakers: list[dict], prefix: str) -> list[dict]:
    records = [line(spec) for spec in articles]
    with (HERE / f"{prefix}articles.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    # One speaker a line, as in seeds/demo/project.json, so that a diff shows which speaker changed.
    lines = ",\n".join("  " + json.dumps(speaker, ensure_ascii=False) for speaker in speakers)
    (HERE / f"{prefix}speakers.json").write_text("[\n" + lines + "\n]\n", encoding="utf-8")
    return records


def main() -> None:
    records = write(ARTICLES, SPEAKERS, "") + write(HELDOUT, HELDOUT_SPEAKERS, "heldout_")
    if "--show" in sys.argv:
        for record in records:
            show(record)


if __name__ == "__main__":
    main()
