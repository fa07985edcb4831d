"""Agreed actions and commitments with the parties responsible, and the outcome."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from meetings.extraction.countries import find_countries
from meetings.extraction.dates import due_date
from meetings.extraction.text import Sentence

CUE = re.compile(
    r"\b(?P<cue>agreed to|agreement to|agreed on|agreed that\b.{0,40}?\bwould|agreed that|undertook to|"
    r"committed to|commit to|commits?\s+(?:both|the two|all|the)\s+[\w\s]{0,30}?\bto|pledged to|pledged|"
    r"promised to|offered to|decided to|resolved to|will|would also|"
    r"(?:reiterated|reaffirmed|renewed|restated)\s+(?:its|his|her|their|the\s+[\w.]+)\s+commitment to|"
    r"directed\s+(?:their|his|her|the|its)\s+[\w\s]{1,30}?\bto|"
    r"tasked\s+(?:their|his|her|the|its)\s+[\w\s]{1,30}?\b(?:with|to)|"
    r"signed\s+(?:an?\s+|the\s+|two\s+|three\s+|several\s+)?(?:agreements?|memorand(?:um|a) of understanding|"
    r"MoUs?|arrangements?|letters? of intent|protocols?)\s+(?P<signed>on|to|for|concerning)|"
    r"look(?:ed|s)? forward to|"
    r"announced(?= a| an| new| further| the)|invited(?= the| [A-Z])|called on)\s+",
)
# A cheap first look: sentences without any of these words hold no action.
MAYBE_ACTION = re.compile(
    r"agree|will|would|commit|pledge|undert|offer|decid|resolv|reiterat|reaffirm|renew|restat|announc|invit|"
    r"called on|promis|direct|task|signed|forward to"
)
ANAPHORA = re.compile(
    r"\b(?:this|that)\s+(initiative|centre|center|programme|program|effort|mission|project|facility|unit)\b",
    re.IGNORECASE,
)
# "Allies agreed", "Ministers agreed": the whole group, not the delegations named in the text.
COLLECTIVE = re.compile(
    r"^(?:\W*)(?:(?:the\s+)?(?:Allies|allies|Participants|participants|members|Members|partners|Partners)|Ministers)\b"
)
MUTUAL = re.compile(
    r"\b(?:both|the two|the three|the four|all|they|the ministers|the leaders|the officials|the delegations|"
    r"the commanders|the parties|the sides|the chiefs|mutual|jointly|together|the meeting)\b",
    re.IGNORECASE,
)
ACTION_VERBS = (
    r"called|agreed|pledged|committed|decided|undertook|offered|announced|directed|tasked|signed|looked|"
    r"reaffirmed|reiterated|resolved|promised"
)
SPLIT = re.compile(
    rf",?\s+and\s+(?=to\s|(?:{ACTION_VERBS})\b|will\b)|,\s+(?=(?:{ACTION_VERBS})\s)"
    r"|,\s+and\s+(?=(?:the\s+)?[A-Z][\w.]+(?:\s+[A-Z][\w.]+)*\s+(?:will|agreed|pledged|committed|undertook|offered)\b)"
)
LIST_AFTER = re.compile(
    r"^(?P<verb>.*?\b(?:cooperation|collaboration|partnership|ties|efforts|coordination))\s+"
    r"(?:in|on)\s+(?:(?:various|several|a number of|key|many)\s+(?:areas|fields|domains),?\s+)?"
    r"(?:including|such as|namely|notably)?:?\s*"
    r"(?P<items>.+)$"
)
PAST = re.compile(
    r"\b(?:prior|previous(?:ly)?|already|had)\b.*\bcommitment\b|\bfulfil+(?:ment|led)\b", re.IGNORECASE
)
VAGUE = re.compile(
    r"^(?:work(?:ing)? together|cooperat\w+|continu\w+ (?:to )?(?:work|cooperat)\w*|a stable|peace|the)\b"
    r"|^(?:further\s+)?(?:strengthen|deepen|enhanc|expand|promot|advanc|build)\w*\s+(?:the\s+|their\s+|our\s+)?"
    r"(?:bilateral\s+|defence\s+|defense\s+|strong\s+|close\s+)*(?:relations|relationship|ties|partnership|"
    r"cooperation|friendship)[\s.]*$",
    re.I,
)


@dataclass
class ActionFound:
    description: str
    sentence: str
    countries: list[str] = field(default_factory=list)
    organisations: list[object] = field(default_factory=list)  # OrganisationFound
    due_date: datetime.date | None = None
    commitment: bool = False


def _infinitive(phrase: str) -> str:
    """ "supporting this initiative" → "support this initiative"."""
    match = re.match(r"^(\w+?)ing\b", phrase)
    if not match:
        return phrase
    stem = match.group(1)
    if re.search(r"(at|iv|id|ur|ag|uc|ov|ak|us|iz|is|ir|as|om|in|[^e]ar)$", stem) and stem not in (
        "visit",
        "establish",
        "finish",
    ):
        stem += "e"
    elif re.search(r"([bdgmnprt])\1$", stem):
        stem = stem[:-1]
    return stem + phrase[match.end() :]


def _sentence_case(text: str) -> str:
    text = text.strip(" ,.;:")
    return text[:1].upper() + text[1:]


def find_actions(
    sentences: list[Sentence],
    *,
    delegations: list[str],
    people,
    organisations,
    meeting_date: datetime.date | None,
) -> list[ActionFound]:
    actions: list[ActionFound] = []
    for number, sentence in enumerate(sentences):
        if not MAYBE_ACTION.search(sentence.text):
            continue
        text = resolve_anaphora(sentence.text, sentences[max(0, number - 2) : number], organisations)
        if PAST.search(text) and not re.search(r"\b(?:reiterated|agreed|will)\b", text):
            continue
        clauses = SPLIT.split(text)
        subject_parties: tuple[list[str], list] | None = None
        previous_clause_subject = ""
        for clause in clauses:
            match = CUE.search(clause)
            if match is None:
                if clause.lstrip().startswith("to ") and subject_parties is not None:
                    match = re.match(r"\s*()", clause)  # "…, and to share information": same subject
                    body = clause.strip()[3:]
                else:
                    continue
            else:
                body = clause[match.end() :]
                subject = clause[: match.start()]
                cue = match["cue"]
                if cue == "will" and not subject.strip() and subject_parties is not None:
                    subject = previous_clause_subject  # "… and will second two instructors": same subject
                elif cue == "will" and not re.search(r"[A-Z]|\b(?:both|two|they)\b", subject, re.I):
                    continue
                if cue.startswith(("reiterated", "reaffirmed", "renewed", "restated")) and not re.search(
                    r"[A-Z]", body[:60]
                ):
                    continue  # "their commitment to peace and stability": a platitude, kept for the outcome
                if match["signed"] and match["signed"] != "to":
                    body = f"agreement {match['signed']} {body}"
                elif cue.startswith("look"):
                    body = (
                        re.sub(r"^(?:the\s+)?", "hold the ", body, count=1)
                        if re.match(r"(?:the\s+)?(?:next|second|third|fourth|fifth|upcoming|first)\b", body)
                        else body
                    )
                if cue == "called on":
                    body = "call on " + body
                elif cue.startswith("invited"):
                    body = "invite " + body
                elif cue.startswith(("announced", "pledged")) and re.match(
                    r"(?:a|an|the|new|further)\b", body
                ):
                    body = "provide " + body
                if subject.strip(" ,") or subject_parties is None:
                    subject_parties = _parties(subject, delegations, people, organisations)
                    previous_clause_subject = subject
                if "U.S." in cue or re.search(r"the\s+([\w.]+)\s+commitment", cue):
                    owner = find_countries(cue)
                    if owner:
                        subject_parties = ([owner[0].code], [])
            if subject_parties is None:
                continue
            body = re.sub(r"^(?:the\s+)?(?:mutual\s+)?agreement\s+to\s+", "", body.strip())
            cue = match.groupdict().get("cue") or ""
            stated = cue.startswith("agreed that") and "would" not in cue
            if "commitment to" in cue and not re.match(r"\w+ing\b", body):
                body = f"commitment to {body}"  # "reaffirmed their commitment to the Accra Initiative"
                stated = True
            if not body or (VAGUE.match(body) and not stated) or len(body.split()) < 2:
                continue
            items = [body]
            if match.groupdict().get("signed"):
                # "signed agreements to donate two patrol boats and on the training of divers"
                items = re.split(r",?\s+and\s+(?=(?:on|to|for|concerning)\s)", body)
                items = [items[0]] + [re.sub(r"^to\s+", "", f"agreement {i}") for i in items[1:]]
            for description in [d for item in items for d in _split_list(item)]:
                description = _sentence_case(_infinitive(description))
                actions.append(
                    ActionFound(
                        description=description[:500],
                        sentence=sentence.text,
                        countries=list(subject_parties[0]),
                        organisations=list(subject_parties[1]),
                        due_date=due_date(clause, meeting_date),
                        commitment=len(subject_parties[0]) + len(subject_parties[1]) == 1,
                    )
                )
    return _dedupe(actions)


def resolve_anaphora(text: str, before: list[Sentence], organisations) -> str:
    """ "supporting this initiative" → "supporting CITSOS", from the sentences just before."""
    match = ANAPHORA.search(text)
    if not match:
        return text
    for sentence in reversed(before):
        named = [
            o for o in organisations if (o.acronym and o.acronym in sentence.text) or o.name in sentence.text
        ]
        if named:
            org = named[-1]
            return text[: match.start()] + (org.acronym or org.name) + text[match.end() :]
    return text


def _parties(subject: str, delegations: list[str], people, organisations) -> tuple[list[str], list]:
    if COLLECTIVE.search(subject):
        return [], []
    orgs = [
        o
        for o in organisations
        if (o.acronym and re.search(rf"(?<![\w-]){re.escape(o.acronym)}(?![\w-])", subject))
        or (o.name and o.name in subject)
    ]
    countries = [m.code for m in find_countries(subject)]
    # "BATUK undertook": the unit, not the country in its name.
    if orgs and countries and all(m.start >= subject.find(orgs[0].name) for m in find_countries(subject)):
        countries = []
    if not countries and not orgs:
        # "Deputy Secretary Brooks and Secretary Kumar agreed": each person's country.
        countries = [
            p.country for p in people if p.country and re.search(rf"\b{re.escape(p.surname)}\b", subject)
        ]
    if countries or orgs:
        return list(dict.fromkeys(countries)), orgs
    if MUTUAL.search(subject) or not subject.strip():
        return list(delegations), []
    return list(delegations), []


def _split_list(body: str) -> list[str]:
    """ "enhance cooperation in various areas, including A, B, and C" → one action per area."""
    body = re.split(
        r"\.\s|;\s|,\s+(?:echoing|underscoring|highlighting|noting|stressing|as|while|which|who|following)\b",
        body,
    )[0].strip(" .")
    match = LIST_AFTER.match(body)
    if match:
        items = [i.strip() for i in re.split(r",\s*(?:and\s+)?|\s+and\s+", match["items"]) if i.strip()]
        if len(items) >= 2 and all(len(i.split()) <= 5 for i in items):
            verb = re.sub(r"\s+(?:in|on)$", "", match["verb"])
            return [f"{verb} in {item}" for item in items]
    return [body]


def _dedupe(actions: list[ActionFound]) -> list[ActionFound]:
    seen, kept = set(), []
    for action in actions:
        key = action.description.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(action)
    return kept


OUTCOME = re.compile(
    r"\b(joint (?:statement|communiqu[ée]|declaration|press release)|communiqu[ée]|concluded with|"
    r"signed (?:(?:a|an|the|two|three|several)\s+)?[^.]{0,60}?\b"
    r"(?:agreements?|memorandum|MoU|framework|arrangement|declaration|treaty|"
    r"letter of intent|plan|roadmap|accord))\b",
    re.IGNORECASE,
)


def find_outcome(sentences: list[Sentence], headline: str = "") -> tuple[str, str]:
    """The joint statement or what was signed, with the sentence that follows when it goes on;
    a text that is itself a joint statement is its own outcome."""
    chosen: list[str] = []
    if re.match(r"^(?:Text of (?:the\s+)?)?Joint (?:statement|communiqu[ée]|declaration)\b", headline, re.I):
        chosen.append(headline)
    for number, sentence in enumerate(sentences):
        if OUTCOME.search(sentence.text):
            chosen.append(sentence.text)
            following = sentences[number + 1] if number + 1 < len(sentences) else None
            if following and re.match(
                r"^(?:They|The statement|It|The (?:two )?(?:ministers|leaders))\b", following.text
            ):
                chosen.append(following.text)
    chosen = list(dict.fromkeys(chosen))[:4]
    return " ".join(chosen), (chosen[0] if chosen else "")
