"""The extraction result as plain data: no spaCy, no networkx.

Offsets are character offsets into the *original* text of the document (kg's normaliser
keeps lengths, so normalised and original offsets coincide)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Sentence", "Mention", "Entity", "Relation", "Extraction"]


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str  # verbatim from the original text


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    text: str  # verbatim surface form
    entity: str  # entity id
    type: str
    source: str = "gazetteer"  # gazetteer | pattern | anaphor
    rule: str = ""


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    label: str
    name_en: str = ""
    name_zh: str = ""
    wikidata: str = ""
    source: str = "gazetteer"
    aliases: list[str] = field(default_factory=list)  # surface forms seen first, then known ones
    mentions: int = 0


@dataclass(frozen=True, slots=True)
class Relation:
    subject: str
    relation: str
    object: str
    doc: str
    start: int  # evidence sentence offsets in the original text
    end: int
    evidence: str
    rule: str
    confidence: float = 0.8
    certainty: str = "asserted"  # asserted | reported
    qualifier: str = ""
    date: str = ""


@dataclass(slots=True)
class Extraction:
    """What one run over one or more documents found."""

    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    docs: list[str] = field(default_factory=list)
    language: str = ""
