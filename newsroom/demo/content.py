"""Demo content for Broadsheet: one reference article, a few related pieces, images and readers.

Everything here is plain Python data (no Django imports) so that seed commands, tests and
fixtures can all import it cheaply.

The reference article rebuilds the *anatomy* of a real war-coverage page from 29 March 2022
(the day of the Istanbul peace talks), as described in the shared design note
``reference-page.md``. Every sentence below was written for this demo from that note's list of
reported facts; none is copied from the source article. The staff are fictional, and every
picture is a graphic drawn by ``newsroom.demo.images``. The credits say so, because a news site
must never imply a photographer or agency that does not exist.

Body blocks are ``(block_type, value)`` tuples, with ``block_type`` one of ``"paragraph"``
(plain text, one paragraph, no HTML), ``"image"`` (an ``IMAGES`` key), ``"pull_quote"`` (a
sentence that also appears verbatim in a paragraph, so screen readers may skip it) and
``"block_quote"`` (``{"quote": ..., "attribution": ...}``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

__all__ = [
    "AUTHORS",
    "IMAGES",
    "REFERENCE_ARTICLE",
    "REFERENCE_COMMENTS",
    "STAFF_REPLY",
    "RELATED_ARTICLES",
    "SECTIONS",
    "long_thread_comments",
]

# Shared image metadata: the demo never ships agency photos, so every credit names our own desk.
_CREDIT = "Broadsheet demo desk/Generated graphic"
_COPYRIGHT = "© Broadsheet contributors, generated for the demo"


AUTHORS: list[dict[str, str]] = [
    {
        "slug": "mara-ellison",
        "name": "Mara Ellison",
        "bio": (
            "Mara Ellison is The Broadsheet's diplomatic correspondent. She is a fictional "
            "member of staff, invented for this demo; she does not exist."
        ),
    },
    {
        "slug": "tomas-reyes",
        "name": "Tomas Reyes",
        "bio": (
            "Tomas Reyes covers defence and security for The Broadsheet. He is fictional "
            "demo staff, created to show how bylines and author pages work."
        ),
    },
    {
        "slug": "priya-natarajan",
        "name": "Priya Natarajan",
        "bio": (
            "Priya Natarajan writes about markets and the economy for The Broadsheet. She is "
            "a fictional writer who exists only in this demo's sample content."
        ),
    },
]


SECTIONS: list[dict[str, str]] = [
    {
        "slug": "world",
        "title": "World",
        "intro": "Reporting and analysis from around the globe, including the war in Ukraine.",
    },
    {
        "slug": "business",
        "title": "Business",
        "intro": "Markets, companies and the economy, and how world events move them.",
    },
]


IMAGES: dict[str, dict[str, str]] = {
    "ukraine-cities-map": {
        "title": "Schematic map of Ukraine: cities in the news, 29 March 2022",
        "alt": (
            "Outline map of Ukraine. Kyiv and Chernihiv, in the north, are red dots in shaded "
            "rings; dark dots mark Sumy and Kharkiv in the north-east, Zaporizhzhia and "
            "Mariupol in the south-east, and Mykolaiv and Kherson by the Black Sea."
        ),
        "caption": (
            "Cities named in this report. Russia said it would cut military activity around "
            "Kyiv and Chernihiv (red); heavy fighting was reported in Mariupol, Sumy, Kharkiv, "
            "Kherson and Mykolaiv. Zaporizhzhia and Lviv are shown for reference. Positions "
            "are approximate and front lines are not shown."
        ),
        "credit": _CREDIT,
        "copyright": _COPYRIGHT,
    },
    "istanbul-positions": {
        "title": "What Ukraine put on the table in Istanbul",
        "alt": (
            "Two-column text graphic. 'Ukraine would accept' lists permanent neutrality, no "
            "Nato membership, no nuclear weapons and no foreign bases; 'Ukraine asks for' "
            "lists binding guarantees and eight guarantor states. A strip sums up Russia's reply."
        ),
        "caption": (
            "The main points of Ukraine's proposal at the Istanbul talks, and Russia's first "
            "response, as summarised by The Broadsheet."
        ),
        "credit": _CREDIT,
        "copyright": _COPYRIGHT,
    },
    "markets-march-29": {
        "title": "Market moves on 29 March 2022",
        "alt": (
            "Horizontal bar chart with three rows. European shares: an upward arrow with no "
            "figure. Oil: a red bar extending left to about minus 5 per cent. Rouble against "
            "the dollar: a green bar extending right to about plus 10 per cent."
        ),
        "caption": (
            "How markets reacted to the Istanbul talks: European shares rose, oil fell by about "
            "5 per cent and the rouble gained about 10 per cent against the dollar. Figures "
            "are approximate; the size of the rise in shares is not charted."
        ),
        "credit": _CREDIT,
        "copyright": _COPYRIGHT,
    },
    "diplomats-expelled": {
        "title": "45 Russian diplomats expelled by four EU countries",
        "alt": (
            "Graphic showing the number 45 in large type beside a grid of 45 identical small "
            "figures, with the names Belgium, Ireland, the Netherlands and the Czech Republic "
            "listed underneath."
        ),
        "caption": (
            "Belgium, Ireland, the Netherlands and the Czech Republic expelled 45 Russian "
            "diplomats between them, accusing them of spying. The graphic shows the combined "
            "total only, not the number expelled by each country."
        ),
        "credit": _CREDIT,
        "copyright": _COPYRIGHT,
    },
    "mykolaiv-strike-map": {
        "title": "Locator map: Mykolaiv, southern Ukraine",
        "alt": (
            "Simplified outline map of Ukraine with Mykolaiv, near the Black Sea coast, "
            "circled in red and linked to a label box. Other cities are shown as small grey "
            "dots."
        ),
        "caption": (
            "Mykolaiv, where a Russian strike on the regional government building killed 12 "
            "people on 29 March 2022. Positions are approximate."
        ),
        "credit": _CREDIT,
        "copyright": _COPYRIGHT,
    },
    "guarantor-states": {
        "title": "The eight states Ukraine proposed as guarantors",
        "alt": (
            "Diagram with a circle labelled Ukraine in the centre, joined by lines to eight "
            "surrounding boxes labelled UK, US, China, France, Turkey, Germany, Poland and "
            "Israel."
        ),
        "caption": (
            "Under Ukraine's Istanbul proposal, these eight countries would be legally bound to "
            "help defend a neutral Ukraine, in a mechanism its negotiators compared to Nato's "
            "Article 5. None had agreed to the role at the time."
        ),
        "credit": _CREDIT,
        "copyright": _COPYRIGHT,
    },
}


def _p(text: str) -> tuple[str, str]:
    """A paragraph block; a helper so the long body below reads like copy, not markup."""
    return ("paragraph", text)


# The pull quote must repeat a body sentence word for word: it is decoration for sighted readers
# and is hidden from screen readers, so it must never carry information the body lacks.
_PULL_QUOTE = (
    "Ukraine wants neutrality with teeth: guarantees that would bind its protectors in law."
)

REFERENCE_ARTICLE: dict[str, Any] = {
    "slug": "russia-pledges-to-scale-back-around-kyiv-after-istanbul-talks",
    "section": "world",
    "headline": "Russia pledges Kyiv pullback after Istanbul talks",
    "standfirst": (
        "Moscow says it will sharply reduce military activity around Kyiv and Chernihiv after "
        "Ukraine offered neutrality in return for binding security guarantees, but Western "
        "officials say the move looks like a regrouping rather than a retreat."
    ),
    "authors": ["mara-ellison", "tomas-reyes"],
    "first_published": "2022-03-29T18:40:00+01:00",
    "last_updated": "2022-03-29T22:55:00+01:00",
    "hero": "ukraine-cities-map",
    "body": [
        _p(
            "Russia has said it will drastically scale back its military operations around "
            "Kyiv and the northern city of Chernihiv, the biggest change in Moscow's stated "
            "plans since its troops crossed the border more than a month ago."
        ),
        _p(
            "The pledge came at the end of a day of face-to-face negotiations in Istanbul. "
            "Russian officials presented it as a gesture to build trust between the two "
            "delegations."
        ),
        _p(
            "Western governments were quick to doubt that explanation. Officials in several "
            "capitals said the step looked less like goodwill than an army pausing to regroup "
            "after its advance on the capital had stalled."
        ),
        _p(
            "Within hours the pledge was being tested. Ukrainian officials said Russian "
            "shelling of Kyiv had resumed by the evening."
        ),
        _p(
            "In Istanbul, Ukraine's delegation set out the clearest picture yet of the "
            "settlement it could accept. Kyiv offered to become permanently neutral: it would "
            "not join Nato, would not acquire nuclear weapons and would not host foreign "
            "military bases."
        ),
        _p(
            "The price of that offer is protection. A group of guarantor countries would be "
            "legally obliged to come to Ukraine's defence if it were attacked again."
        ),
        _p(
            "Ukrainian negotiators likened the mechanism to Article 5 of Nato's founding "
            "treaty, under which an attack on one member is treated as an attack on all."
        ),
        _p(
            "The states Kyiv named as possible guarantors were the United Kingdom, the United "
            "States, China, France, Turkey, Germany, Poland and Israel."
        ),
        _p(
            "None of those governments had publicly signed up to the role by Tuesday night, "
            "and several of them have very different relationships with Moscow."
        ),
        _p(
            "For Kyiv, the attraction is plain. Nato membership was never going to arrive "
            "soon, while a treaty with named guarantors could, in principle, be signed far "
            "sooner."
        ),
        _p(
            "David Arakhamia, one of Ukraine's negotiators, said Kyiv was ready for neutral "
            "status only if the guarantees behind it were binding, not merely promised."
        ),
        _p(
            "Oleksandr Chaly, a veteran diplomat on the Ukrainian team, described the "
            "guarantee system as the heart of the proposal, and the condition for everything "
            "else in it."
        ),
        _p(
            f"The logic is simple. {_PULL_QUOTE} Promises alone, Kyiv argues, have failed it "
            "before."
        ),
        ("pull_quote", _PULL_QUOTE),
        _p(
            "The proposal deliberately leaves the hardest territorial questions for later. The "
            "future of the Donbas, the eastern region at the centre of the fighting since "
            "2014, would be set aside for the time being."
        ),
        _p(
            "On Crimea, annexed by Russia in 2014, Kyiv suggested 15 years of negotiations, "
            "during which neither side would try to settle the peninsula's status by force."
        ),
        _p(
            "Ukraine also insisted that nothing in a settlement should stand in the way of its "
            "bid to join the European Union. Nato membership can be traded away; the EU, in "
            "Kyiv's view, cannot."
        ),
        _p(
            "Any agreement would be put to Ukrainians in a referendum, the negotiators said, "
            "but only once full peace had returned."
        ),
        _p(
            "Vladimir Medinsky, the Kremlin aide who leads Russia's delegation, was careful "
            "not to raise hopes. A reduction in fighting, he said, should not be mistaken for "
            "a ceasefire."
        ),
        _p(
            "Medinsky said Moscow would examine Ukraine's written proposals and would answer "
            "them with counter-proposals of its own."
        ),
        _p(
            "In Kyiv, President Volodymyr Zelensky struck an even warier note. He told the "
            "world not to trust Russian promises, and said Ukraine would not relax its "
            "defences on the strength of a statement."
        ),
        _p(
            "His message, in short, was that words from Moscow count for little until they "
            "are matched by what happens on the ground."
        ),
        _p(
            "In Moscow, the defence minister, Sergei Shoigu, said Russia's priority was now "
            "the Donbas."
        ),
        _p(
            "That is a much narrower aim than the sweeping goals Moscow set out when the "
            "invasion began."
        ),
        _p(
            "A Western official said Russian battalion tactical groups, self-contained units "
            "of armour, infantry and artillery, were moving to reinforce the front there."
        ),
        (
            "block_quote",
            {
                "quote": (
                    "What we are seeing looks like forces being repositioned, not forces going "
                    "home."
                ),
                "attribution": "A Western official, briefing reporters (paraphrased)",
            },
        ),
        _p(
            "If the shift is real, it would let Moscow concentrate troops and firepower in the "
            "east after weeks in which its columns north of Kyiv had made little headway."
        ),
        _p(
            "It would also free units for a renewed push against Ukrainian forces dug in "
            "along the line that has divided the Donbas for eight years."
        ),
        _p(
            "In the south, a Russian strike hit the regional government building in Mykolaiv "
            "on Tuesday morning. Twelve people were killed, Ukrainian officials said."
        ),
        _p(
            "The region's governor, Vitaliy Kim, survived because he had overslept and had not "
            "yet arrived at his office when the building was hit."
        ),
        _p(
            "Mykolaiv lies between Russian-held Kherson and the port of Odesa, and has stood "
            "in the way of any Russian advance west along the coast."
        ),
        ("image", "istanbul-positions"),
        _p(
            "Heavy fighting continued elsewhere. In Mariupol, the besieged port on the Sea of "
            "Azov, Ukrainian defenders were still holding out."
        ),
        _p(
            "In the north-east, clashes were reported around Sumy and Kharkiv, Ukraine's "
            "second-largest city, which has been under bombardment since the first days of "
            "the war."
        ),
        _p(
            "Fighting also went on around Kherson and Mykolaiv, where Russian and Ukrainian "
            "forces have traded ground near the Black Sea coast."
        ),
        _p(
            "None of those places was covered by Russia's pledge, which named only Kyiv and "
            "Chernihiv."
        ),
        _p(
            "Financial markets took a brighter view of the day than the generals did. "
            "European shares rose as investors bet that the talks marked real progress."
        ),
        _p(
            "Oil prices fell by about 5 per cent, as traders priced in a smaller risk of wider "
            "disruption to energy supplies."
        ),
        _p(
            "The rouble strengthened by about 10 per cent against the dollar, recovering some "
            "of the ground it lost after the invasion."
        ),
        _p(
            "Away from the negotiating table, Belgium, Ireland, the Netherlands and the Czech "
            "Republic expelled a total of 45 Russian diplomats, accusing them of spying."
        ),
        _p("Expulsions of this kind are usually met in kind, and Moscow was expected to respond."),
        _p(
            "For now, the Istanbul talks have produced a detailed Ukrainian offer and a Russian "
            "promise to consider it. Whether they lead anywhere will depend on Moscow's "
            "counter-proposals."
        ),
        _p(
            "It will also depend on something simpler: whether the guns around Kyiv and "
            "Chernihiv actually fall silent in the days ahead."
        ),
    ],
}


RELATED_ARTICLES: list[dict[str, Any]] = [
    {
        "slug": "markets-rally-on-hopes-for-ukraine-talks",
        "section": "business",
        "headline": "Markets rally on hopes for Ukraine talks",
        "standfirst": (
            "European shares climbed, oil slid about 5 per cent and the rouble jumped roughly "
            "10 per cent against the dollar as investors seized on signs of progress in "
            "Istanbul."
        ),
        "authors": ["priya-natarajan"],
        "first_published": "2022-03-29T17:05:00+01:00",
        "last_updated": "2022-03-29T19:30:00+01:00",
        "hero": "markets-march-29",
        "body": [
            _p(
                "Investors treated the first hints of progress at the Istanbul peace talks as a "
                "reason to buy, sending European share prices higher on Tuesday."
            ),
            _p(
                "The mood turned after Moscow said it would sharply cut military activity "
                "around Kyiv and Chernihiv, a step Russian negotiators described as a way of "
                "building trust."
            ),
            _p(
                "Oil went the other way. Prices fell by around 5 per cent as traders shaved "
                "off some of the premium they had been paying for the risk of wider "
                "disruption to supplies."
            ),
            _p(
                "The rouble, which collapsed after the invasion and the sanctions that "
                "followed, strengthened by about 10 per cent against the dollar."
            ),
            _p(
                "The gains rested on hope rather than on anything signed. Western officials "
                "were already calling the Russian pledge a regrouping, and shelling near Kyiv "
                "resumed within hours."
            ),
            _p(
                "Ukraine's offer of neutrality in exchange for binding guarantees was the most "
                "concrete proposal so far, but Russia's chief negotiator said only that Moscow "
                "would study it and reply with counter-proposals."
            ),
            _p(
                "Europe's energy importers have been especially exposed to the swings in oil "
                "and gas prices since late February, which is why any sign of calm is felt "
                "quickly on trading floors."
            ),
            _p(
                "A rally built on expectations can unwind just as fast if they are "
                "disappointed. For markets, the test is whether talk in Istanbul turns into "
                "quiet on the ground."
            ),
        ],
    },
    {
        "slug": "four-eu-countries-expel-45-russian-diplomats",
        "section": "world",
        "headline": "Four EU countries expel 45 Russian diplomats",
        "standfirst": (
            "Belgium, Ireland, the Netherlands and the Czech Republic ordered a combined 45 "
            "Russian diplomats to leave, accusing them of spying."
        ),
        "authors": ["mara-ellison"],
        "first_published": "2022-03-29T15:20:00+01:00",
        "last_updated": "2022-03-29T18:05:00+01:00",
        "hero": "diplomats-expelled",
        "body": [
            _p(
                "Four European Union members have ordered 45 Russian diplomats to leave, "
                "accusing them of working as spies under diplomatic cover."
            ),
            _p(
                "The expulsions by Belgium, Ireland, the Netherlands and the Czech Republic "
                "came on the same day that Russian and Ukrainian negotiators met in Istanbul."
            ),
            _p(
                "The graphic with this report shows the combined total only; the split "
                "between the four countries is not given here."
            ),
            _p(
                "Expulsions of this kind usually rest on the diplomatic formula that a person's "
                "activities are incompatible with their status, shorthand for intelligence "
                "work carried out from inside an embassy."
            ),
            _p(
                "Under the Vienna Convention on Diplomatic Relations, a host country may "
                "declare any diplomat unwelcome at any time, without having to explain why."
            ),
            _p(
                "Brussels, home to the headquarters of both the EU and Nato, has long been "
                "seen as a magnet for intelligence officers from many countries."
            ),
            _p(
                "Moscow has usually answered such steps in kind, and a response was widely "
                "expected."
            ),
            _p(
                "The moves came as Russia promised to scale back its operations around Kyiv "
                "and Chernihiv, a claim Western officials greeted with scepticism."
            ),
        ],
    },
    {
        "slug": "strike-on-mykolaiv-government-building-kills-12",
        "section": "world",
        "headline": "Strike on Mykolaiv government building kills 12",
        "standfirst": (
            "A Russian strike hit the regional administration in the southern city of "
            "Mykolaiv, killing 12 people; the governor, Vitaliy Kim, escaped because he had "
            "overslept."
        ),
        "authors": ["tomas-reyes"],
        "first_published": "2022-03-29T12:10:00+01:00",
        "last_updated": "2022-03-29T20:45:00+01:00",
        "hero": "mykolaiv-strike-map",
        "body": [
            _p(
                "A Russian strike on the regional government headquarters in Mykolaiv killed "
                "12 people on Tuesday, Ukrainian officials said."
            ),
            _p(
                "The building is the seat of the Mykolaiv regional administration, in a port "
                "and shipbuilding city close to the Black Sea coast."
            ),
            _p(
                "Vitaliy Kim, the regional governor, was not at his desk when the strike hit. "
                "He survived because he had overslept that morning."
            ),
            _p(
                "Mykolaiv sits between Russian-held Kherson and the port of Odesa, and has "
                "stood in the way of any Russian push west along the coast."
            ),
            _p(
                "The attack came on the day Russian and Ukrainian negotiators met in Istanbul, "
                "and Moscow promised to sharply reduce military activity around Kyiv and "
                "Chernihiv."
            ),
            _p(
                "That promise did not reach the south. Heavy fighting was reported around "
                "Mykolaiv and Kherson, as well as in Mariupol, Sumy and Kharkiv."
            ),
            _p(
                "In Kyiv, President Volodymyr Zelensky warned Ukraine's allies not to take "
                "Russian promises on trust."
            ),
        ],
    },
    {
        "slug": "explainer-what-ukraine-offered-in-istanbul",
        "section": "world",
        "headline": "Explainer: what Ukraine offered in Istanbul",
        "standfirst": (
            "Kyiv is prepared to give up its Nato ambitions in return for guarantees that "
            "would legally bind eight countries to its defence; here is what the proposal "
            "contains, and what it leaves out."
        ),
        "authors": ["mara-ellison"],
        "first_published": "2022-03-30T07:30:00+01:00",
        "last_updated": "2022-03-30T09:15:00+01:00",
        "hero": "guarantor-states",
        "long_thread": True,
        "body": [
            _p(
                "What is Ukraine offering? Permanent neutrality. It would not seek to join "
                "Nato, would not have nuclear weapons and would not host foreign military "
                "bases."
            ),
            _p(
                "What does it want in return? Guarantor countries that are legally obliged to "
                "defend it if it is attacked. Its negotiators compared this to Article 5 of the "
                "Nato treaty, which treats an attack on one ally as an attack on all."
            ),
            _p(
                "Who would the guarantors be? Kyiv's list names the UK, the US, China, France, "
                "Turkey, Germany, Poland and Israel."
            ),
            _p(
                "Who put the plan forward? Ukraine's negotiators in Istanbul, among them David "
                "Arakhamia and Oleksandr Chaly."
            ),
            _p(
                "What about territory? The proposal parks the hardest questions. The Donbas is "
                "set aside for now, and Crimea would be the subject of 15 years of talks, with "
                "military force ruled out as a way of settling it."
            ),
            _p(
                "Does neutrality rule out the EU? No. Ukraine insists that nothing in a deal "
                "may block its path to membership of the European Union."
            ),
            _p(
                "Who gets the final say? Ukrainian voters. Any deal would go to a referendum, "
                "but only once there is full peace."
            ),
            _p(
                "How did Russia respond? Its chief negotiator, Vladimir Medinsky, said Moscow "
                "would consider the proposal and come back with counter-proposals, and "
                "stressed that de-escalation is not the same as a ceasefire."
            ),
            _p(
                "Why the scepticism? In 1994 Ukraine gave up the nuclear weapons it inherited "
                "from the Soviet Union in return for security assurances in the Budapest "
                "Memorandum, signed by Russia, the US and the UK. Those assurances did not stop "
                "the annexation of Crimea in 2014 or the invasion of 2022."
            ),
            _p(
                "What happens next? Much depends on whether Russia's promised cut in activity "
                "around Kyiv and Chernihiv is real. Western officials see it as a regrouping, "
                "and shelling near the capital resumed within hours of the pledge."
            ),
        ],
    },
]


# Reader comments under the reference article. The first three restate, in new words, what the
# source's readers argued. Two call Russia names ("Mordor", "the ruscists"): angry language
# about a state at war, which moderation rules must let through, unlike abuse of a person.
# ``recommended_by`` is how many other readers recommend each one (newsroom.demo.reactions): the
# opening argument, the correction with its source and the answer on the no-fly zone catch on;
# the rest get a handful or none.
REFERENCE_COMMENTS: list[dict[str, Any]] = [
    {
        "name": "Halyna P.",
        "body": (
            "The countries that signed the Budapest Memorandum promised Ukraine security in "
            "return for its nuclear arsenal. Time to make good on it: put mechanised units into "
            "the Kyiv and Lviv regions to hold the rear, so Ukraine's own troops around the "
            "capital can move east to the Donbas where they are needed most."
        ),
        "minutes_after": 14,
        "recommended_by": 31,
        "replies": [
            {
                "name": "Graham W.",
                "body": (
                    "Worth remembering what the Memorandum actually says. It gave Ukraine "
                    "assurances, not a defence pact, which is why Kyiv is now asking for "
                    "something legally binding. Summary here: "
                    "[Budapest Memorandum](https://en.wikipedia.org/wiki/Budapest_Memorandum)."
                ),
                "minutes_after": 31,
                "recommended_by": 47,
                "replies": [
                    {
                        "name": "Halyna P.",
                        "body": (
                            "Assurances or not, the signatories knew what Ukraine was giving "
                            "up. The least they can do is free up Ukraine's own army."
                        ),
                        "minutes_after": 47,
                        "recommended_by": 2,
                        "replies": [],
                    }
                ],
            }
        ],
    },
    {
        "name": "kyiv_watcher",
        "body": (
            "Multiply the military aid by ten, starting today, and close the sky with a "
            "no-fly zone. Anything less and Mordor just keeps grinding the cities down one by "
            "one."
        ),
        "minutes_after": 22,
        "recommended_by": 5,
        "replies": [
            {
                "name": "Eleanor M.",
                "body": (
                    "I share the anger, but a no-fly zone means Nato pilots shooting down "
                    "Russian jets. That is a *much* bigger war, and everyone knows it."
                ),
                "minutes_after": 38,
                "recommended_by": 26,
                "replies": [
                    {
                        "name": "Dmytro S.",
                        "body": (
                            "Then send the air-defence systems so Ukraine can close its own "
                            "sky. Nobody is asking anyone else to fly."
                        ),
                        "minutes_after": 56,
                        "recommended_by": 4,
                        "replies": [],
                    }
                ],
            }
        ],
    },
    {
        "name": "northern_reader",
        "body": (
            "Get reinforcements into Mariupol while there is still a way in, but keep a strong "
            "guard around Kyiv. I wouldn't put it past the ruscists to stage a retreat and "
            "come straight back."
        ),
        "minutes_after": 29,
        "recommended_by": 3,
        "replies": [
            {
                "name": "Ian R.",
                "body": (
                    "Agreed on Kyiv. The report says the shelling started again within hours, "
                    "which tells you how much the pledge is worth."
                ),
                "minutes_after": 64,
                "recommended_by": 0,
                "replies": [],
            }
        ],
    },
]


# --------------------------------------------------------------------------------------------
# The long generated thread (for the explainer marked ``long_thread``).
#
# It exists to exercise pagination, deep nesting and "the ten-thousandth comment" on a real page,
# so it must be deterministic (same seed, same thread) and cheap: plain string templates, no
# per-item regexes, one Random instance.
# --------------------------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    """Split a word list kept as prose, so long vocabularies stay compact and easy to edit."""
    return tuple(text.split())


_FIRST_NAMES = _words(
    "Olena Andriy Iryna Taras Oksana Mykola Sofia Bohdan Kateryna Yurii Anna Pavlo James "
    "Sarah David Helen Michael Claire Peter Fiona Robert Margaret Tom Rachel Sean Aoife Niamh "
    "Ciaran Pieter Anouk Jan Eva Tomas Petra Lukas Marta Agnieszka Piotr Magda Krzysztof Lena "
    "Jonas Greta Ahmed Fatima Omar Priya Ravi Wei Mei Kenji Yuki Carlos Lucia Marco Giulia "
    "Pierre Camille Ingrid Lars"
)
_HANDLE_HEADS = _words(
    "kyiv lviv odesa baltic harbour northern southern old quiet late river hill fenland "
    "moorland coastal city rural tired hopeful armchair"
)
_HANDLE_TAILS = _words(
    "_watcher _reader _observer _voter _sceptic _historian _pensioner _teacher _engineer "
    "_nurse _commuter _gardener"
)


def _build_name_pool(size: int = 320) -> tuple[str, ...]:
    """A fixed pool of display names, so every seed draws from the same recognisable crowd."""
    rng = random.Random(2022)
    names: list[str] = []
    seen: set[str] = set()
    letters = "ABCDEFGHIJKLMNOPRSTVWY"
    while len(names) < size:
        if rng.random() < 0.7:
            name = f"{rng.choice(_FIRST_NAMES)} {rng.choice(letters)}."
        else:
            name = rng.choice(_HANDLE_HEADS) + rng.choice(_HANDLE_TAILS)
            if rng.random() < 0.35:
                name += str(rng.randint(2, 99))
        if name not in seen:
            seen.add(name)
            names.append(name)
    return tuple(names)


_NAME_POOL = _build_name_pool()

_GUARANTORS = ("the UK", "the US", "China", "France", "Turkey", "Germany", "Poland", "Israel")
_TOPICS = (
    "the neutrality offer",
    "the guarantee mechanism",
    "the Crimea clause",
    "the 15-year window on Crimea",
    "the referendum condition",
    "the line on EU membership",
    "the Article 5 comparison",
    "parking the Donbas question",
    "the no-foreign-bases pledge",
    "dropping the Nato bid",
    "the list of guarantors",
)
_FACTS = (
    "Crimea would be left to 15 years of talks",
    "the guarantors would be legally bound to act",
    "a deal would only go to a referendum after full peace",
    "EU membership stays on the table",
    "the Donbas is set aside for now rather than given up",
    "China is on the list of guarantors",
    "Ukraine would give up nuclear weapons and foreign bases for good",
)
_WHAT = ("Troops?", "Weapons?", "Sanctions?", "Air cover?", "Money?")

_TOP_TEMPLATES = (
    "{Topic} is the part of this I keep coming back to.",
    "Would {g} really go to war for Ukraine? That is the whole question with a guarantee "
    "like this.",
    "{Topic} sounds reasonable on paper. On paper.",
    "Budapest in 1994 was also a set of assurances. Forgive me if I'm sceptical.",
    "Useful explainer. I hadn't understood that {fact}.",
    "A guarantee is only as strong as the least willing guarantor.",
    "Putting {g} and {g2} on the same list of guarantors is ambitious, to say the least.",
    "I'd want to know what 'legally bound' means in practice. {what} {what2}",
    "Article 5 itself leaves each member to decide what action it deems necessary. People "
    "forget that.",
    "Fifteen years is a long time. Crimea could look very different by 2037.",
    "The referendum condition is clever: nobody in Kyiv can be accused of signing away land "
    "behind voters' backs.",
    "Medinsky saying de-escalation isn't a ceasefire tells you all you need to know.",
    "The real test is whether the shelling around Kyiv actually stops.",
    "I can't see {g} agreeing to this without a lot of conditions attached.",
    "Of everything in the plan, {topic} is what Moscow will push back on hardest.",
    "So {fact}? That is more than I expected Kyiv to put on the table.",
    "Neutrality with real guarantees would be a better deal than the one Ukraine got in 1994.",
    "Nobody in this thread knows what the counter-proposals will say, including me.",
    "Interesting that {g} is on the list at all.",
    "If {topic} survives the next round I will be surprised.",
    "The EU line matters more than people think. It is the one door Kyiv refuses to close.",
    "Talks are better than no talks. That's about as optimistic as I can manage today.",
)
_REPLY_TEMPLATES = (
    "@{parent} fair point, but {counter}",
    "Agree with you, {parent}. {elab}",
    "I'm not sure that follows: {counter}",
    "This. {elab}",
    "Source? I've seen that said but never confirmed.",
    "Read the piece again: it says {fact}.",
    "Exactly what I was thinking.",
    "Respectfully, {counter}",
    "If only it were that simple.",
    "Agree with the first half, less sure about the second.",
    "@{parent} I think you're underestimating {topic}.",
    "Good question. {elab}",
    "That's {really} the crux of it.",
    "Thanks, {parent}, that's a helpful way to put it.",
)
_ELABORATIONS = (
    "A promise without enforcement is just a press release.",
    "The guarantors would have to ratify this at home, and that is where it gets hard.",
    "It depends entirely on who blinks first on the Donbas.",
    "Kyiv has learned the hard way what assurances are worth.",
    "Everything hinges on {g}.",
    "The details of {topic} will decide whether this goes anywhere.",
    "Markets seemed to believe it, for what that's worth.",
    "Watch what happens around Chernihiv this week, not what is said in Istanbul.",
    "It is the *legally binding* part that makes this different from 1994.",
)
_COUNTERS = (
    "a guarantee that {g} can veto in practice isn't much of a guarantee.",
    "neutrality hasn't protected Ukraine so far.",
    "{topic} is exactly where this will fall apart.",
    "Moscow has said nothing yet beyond 'we'll consider it'.",
    "the article is clear that {fact}.",
    "I don't think {g} would ever sign something this open-ended.",
    "the shelling resumed within hours, so I'd hold off on the optimism.",
    "you can't *really* compare this to Article 5 until someone signs it.",
)
_CLOSERS = (
    "We'll see.",
    "Time will tell.",
    "I hope I'm wrong.",
    "Slava Ukraini.",
    "Just my two pence.",
    "Happy to be corrected.",
    "",
    "",
    "",
)
_EMPHASIS = (("really", "*really*"), ("never", "*never*"), ("only", "*only*"), ("not", "*not*"))


def _fill(template: str, rng: random.Random, parent: str) -> str:
    """Fill one template's slots; nested slots (an elaboration with {g}) are filled too."""
    g, g2 = rng.sample(_GUARANTORS, 2)
    what, what2 = rng.sample(_WHAT, 2)
    topic = rng.choice(_TOPICS)
    text = template
    # Elaborations and counters are themselves templates, so expand them before the leaves.
    if "{elab}" in text:
        text = text.replace("{elab}", rng.choice(_ELABORATIONS))
    if "{counter}" in text:
        text = text.replace("{counter}", rng.choice(_COUNTERS))
    return text.format(
        g=g,
        g2=g2,
        what=what,
        what2=what2,
        topic=topic,
        Topic=topic[0].upper() + topic[1:],
        fact=rng.choice(_FACTS),
        parent=parent,
        really=rng.choice(("really", "really", "*really*")),
    )


def _compose(rng: random.Random, parent_name: str | None) -> str:
    """Build a 1–4 sentence markdown body; sometimes emphasised, sometimes two paragraphs."""
    sentences: list[str] = []
    first_pool = _REPLY_TEMPLATES if parent_name else _TOP_TEMPLATES
    first = rng.choice(first_pool)
    used = {first}
    sentences.append(_fill(first, rng, parent_name or ""))
    extra = rng.choices((0, 1, 2, 3), weights=(40, 35, 18, 7))[0]
    for _ in range(extra):
        pool = _ELABORATIONS if rng.random() < 0.5 else _TOP_TEMPLATES
        template = rng.choice(pool)
        # Skip repeats of a template: "So X? ... So Y? ..." in one comment reads as a bot.
        if template not in used:
            used.add(template)
            sentences.append(_fill(template, rng, parent_name or ""))
    closer = rng.choice(_CLOSERS)
    if closer and len(sentences) < 4:
        sentences.append(closer)
    if rng.random() < 0.08:
        for plain, emphasised in _EMPHASIS:
            word = f" {plain} "
            if word in sentences[0] and "*" not in sentences[0]:
                sentences[0] = sentences[0].replace(word, f" {emphasised} ", 1)
                break
    if len(sentences) >= 3 and rng.random() < 0.3:
        cut = rng.randint(1, len(sentences) - 1)
        return " ".join(sentences[:cut]) + "\n\n" + " ".join(sentences[cut:])
    return " ".join(sentences)


def long_thread_comments(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Yield ``count`` deterministic reader comments for the long-thread demo article.

    Each item is ``{"name", "body", "parent", "minutes_after"}``. ``parent`` is ``None`` for a
    top-level comment (about 60%) or the index of an earlier item, so a loader can insert them
    in order and look parents up in a list. Replies mostly answer recent comments, some revive
    old ones, and about a third go to a few "hot" arguments (the very first comment is one), so
    a 10,000-comment thread has sub-threads of a hundred replies and more, several levels deep.
    Nesting is capped at depth 6, deeper than any template indents but still readable.
    ``minutes_after`` never decreases and spreads the thread over roughly three days whatever
    ``count`` is. The first ``n`` items are the same whatever ``count`` is, except for their times.
    """
    rng = random.Random(seed)
    max_depth = 6
    depths: list[int] = []
    names: list[str] = []
    parents: list[int | None] = []
    roots: list[int] = []
    members: dict[int, list[int]] = {}  # hot root -> every comment in its sub-thread
    hot: list[int] = []
    # Mean gap chosen so the whole thread spans ~72 hours; expovariate gives bursty arrivals.
    rate = max(count, 1) / (72 * 60)
    clock = 2.0
    for index in range(count):
        parent: int | None = None
        if index > 0 and rng.random() >= 0.6:
            pick = rng.random()
            if hot and pick < 0.3:
                # The argument of the moment (usually the newest hot one) draws replies to its
                # first comment and to whatever was said in it lately.
                thread_root = hot[-1] if rng.random() < 0.7 else rng.choice(hot)
                where = rng.random()
                if where < 0.35:
                    parent = thread_root
                elif where < 0.8:
                    parent = rng.choice(members[thread_root][-40:])
                else:
                    parent = rng.choice(members[thread_root])
            elif pick < 0.72:
                parent = rng.randrange(max(0, index - 30), index)  # live back-and-forth
            else:
                parent = rng.randrange(index)  # someone revives an old comment
            while depths[parent] >= max_depth:
                parent = parents[parent]
                assert parent is not None  # depth > 0 always has a parent
        name = rng.choice(_NAME_POOL)
        parent_name = names[parent] if parent is not None else None
        while name == parent_name:
            name = rng.choice(_NAME_POOL)
        clock += rng.expovariate(rate)
        depths.append(0 if parent is None else depths[parent] + 1)
        names.append(name)
        parents.append(parent)
        root = index if parent is None else roots[parent]
        roots.append(root)
        if root in members:
            members[root].append(index)
        elif parent is None and (index == 0 or rng.random() < 0.006):
            hot.append(index)
            members[index] = [index]
        yield {
            "name": name,
            "body": _compose(rng, parent_name),
            "parent": parent,
            "minutes_after": int(clock),
        }


# The demo reader's own comment (a member: its name links to their reader profile), on the
# markets story, so that a new visitor sees what a member's comment looks like.
MEMBER_COMMENT: dict[str, Any] = {
    "article": "markets-rally-on-hopes-for-ukraine-talks",
    "body": (
        "A 10 per cent jump in the rouble on a promise nobody has signed says more about how "
        "jumpy traders are than about the talks. I would wait for the shelling to stop before "
        "reading much into it."
    ),
    "minutes_after": 50,
}


# A reporter's answer in the reference thread: the diplomatic correspondent (fictional, as her
# author page says) replies to the reader who explained the Budapest Memorandum, from a staff
# account, so her comment carries the staff badge (STAFF_BADGE_LABEL) beside her name.
STAFF_REPLY: dict[str, Any] = {
    "username": "mara-ellison",
    "email": "mara.ellison@example.invalid",
    "name": "Mara Ellison",
    "reply_to": "Worth remembering what the Memorandum actually says.",
    "body": (
        "Reporter here, thanks for raising it. That gap is what Ukraine's offer in Istanbul tries "
        "to close: the guarantor states it named would be legally bound to come to its defence, "
        "which negotiators compare to Nato's Article 5. Moscow says it will answer with "
        "counter-proposals, and we will update the story when it does."
    ),
    "minutes_after": 52,
}


# Two readers' first comments, posted through screening as a reader's are, so that the demo's
# moderation queue has something waiting in it: screening holds both (a new commenter's first
# comments are read by a moderator; the second also links to a site nobody has vetted).
HELD_COMMENTS: list[dict[str, Any]] = [
    {
        "article": "four-eu-countries-expel-45-russian-diplomats",
        "name": "Pavel K.",
        "guest": "demo-held-pavel",
        "body": (
            "Sending diplomats home is the easy part. The harder test is whether the same "
            "four countries keep paying for Russian gas while they do it."
        ),
        "minutes_after": 35,
    },
    {
        "article": "four-eu-countries-expel-45-russian-diplomats",
        "name": "truthseeker_88",
        "guest": "demo-held-truthseeker",
        "body": (
            "None of this is what it looks like. Read the real story before you believe a word "
            "of it: https://example.net/the-real-story"
        ),
        "minutes_after": 52,
    },
]


# A coordinated campaign, as the admin's Campaigns page shows one: four "readers"
# (guests with cookies of their own) posting one talking point, lightly reworded, on two
# articles within minutes. Each is a new commenter, so screening holds it for a moderator;
# campaign detection (manage.py scan_campaigns, which load_demo runs once) finds them together.
CAMPAIGN_COMMENTS: list[dict[str, Any]] = [
    {
        "article": "four-eu-countries-expel-45-russian-diplomats",
        "name": "peace_now_2022",
        "guest": "demo-campaign-1",
        "body": (
            "These Istanbul talks are theatre staged by the West, and anyone who believes Kyiv "
            "wants peace has not been paying attention."
        ),
    },
    {
        "article": "markets-rally-on-hopes-for-ukraine-talks",
        "name": "Realist Ivan",
        "guest": "demo-campaign-2",
        "body": (
            "The Istanbul talks are theatre staged by the West; anyone who believes Kyiv wants "
            "peace has not been paying attention at all."
        ),
    },
    {
        "article": "four-eu-countries-expel-45-russian-diplomats",
        "name": "Marta from Lviv",
        "guest": "demo-campaign-3",
        "body": (
            "Istanbul talks are just theatre staged by the West, and anyone who believes Kyiv "
            "really wants peace has not been paying attention."
        ),
    },
    {
        "article": "markets-rally-on-hopes-for-ukraine-talks",
        "name": "common.sense",
        "guest": "demo-campaign-4",
        "body": (
            "These Istanbul talks are theatre put on by the West, and anyone who believes Kyiv "
            "wants peace has not been paying attention."
        ),
    },
]
