"""Database tables: who did what to whom, in the spirit of the HURIDOCS Events Standard Formats.

An ``Incident`` groups ``Act`` rows (one victim, one act type each); ``Involvement`` links an act
to a ``Perpetrator``. Every extracted fact row carries a ``review_status`` (``extracted`` until a
person decides on it), and ``Evidence`` rows point at the fact row they support by table name and
id. These classes are storage only: the domain types live in :mod:`hrdwatch.domain`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from hrdwatch.domain.review import IncidentStatus, ReviewStatus

ID = String(32)
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


FACT_TABLES = (
    "sources",
    "people",
    "organisations",
    "affiliations",
    "incidents",
    "acts",
    "perpetrators",
    "involvements",
    "charges",
    "sanctions",
    "demands",
)


def new_id() -> str:
    """A fresh row id: 32 hex digits, shown shortened to a unique prefix."""
    return uuid4().hex


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _id() -> Mapped[str]:
    return mapped_column(ID, primary_key=True, default=new_id)


def _fk(target: str, *, nullable: bool = False, ondelete: str = "CASCADE") -> Mapped[Any]:
    return mapped_column(ID, ForeignKey(target, ondelete=ondelete), index=True, nullable=nullable)


def _position() -> Mapped[int]:
    """The row's place in the report's own list (charges, sanctions, demands keep their order)."""
    return mapped_column(Integer, default=0, nullable=False)


def _review() -> Mapped[str]:
    return mapped_column(String(16), default=ReviewStatus.EXTRACTED.value, nullable=False)


def _confidential() -> Mapped[bool]:
    """Marked by an editor: the row is hidden from viewers (and from public exports later)."""
    return mapped_column(Boolean, default=False, server_default=false(), nullable=False)


class Source(Base):
    """A report as ingested; ``text`` is the body every evidence offset points into."""

    __tablename__ = "sources"

    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(100))
    reader: Mapped[str] = mapped_column(String(50))
    language: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40))
    url: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    doc_id: Mapped[str | None] = mapped_column(String(100))
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _entity() -> Mapped[str | None]:
    """The canonical entity this mention currently belongs to (after auto or confirmed links)."""
    return _fk("entities.id", nullable=True, ondelete="SET NULL")


class Person(Base):
    """A person as one report names them (a mention); the canonical person is ``entity_id``."""

    __tablename__ = "people"

    id: Mapped[str] = _id()
    source_id: Mapped[str] = _fk("sources.id")
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    review_status: Mapped[str] = _review()
    confidential: Mapped[bool] = _confidential()
    entity_id: Mapped[str | None] = _entity()


class Organisation(Base):
    """An organisation as one report names it (a mention); the canonical one is ``entity_id``."""

    __tablename__ = "organisations"

    id: Mapped[str] = _id()
    source_id: Mapped[str] = _fk("sources.id")
    name: Mapped[str] = mapped_column(Text)
    review_status: Mapped[str] = _review()
    entity_id: Mapped[str | None] = _entity()


class Affiliation(Base):
    """A person belongs to, works for or speaks for an organisation."""

    __tablename__ = "affiliations"

    id: Mapped[str] = _id()
    person_id: Mapped[str] = _fk("people.id")
    organisation_id: Mapped[str] = _fk("organisations.id")
    review_status: Mapped[str] = _review()


class Incident(Base):
    """One event: a date and place, and the acts done there. Dates are ISO text of any precision."""

    __tablename__ = "incidents"

    id: Mapped[str] = _id()
    source_id: Mapped[str] = _fk("sources.id")
    date: Mapped[str | None] = mapped_column(String(10), index=True)
    date_precision: Mapped[str | None] = mapped_column(String(5))
    end_date: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    site: Mapped[str | None] = mapped_column(Text)
    detention_place: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=IncidentStatus.EXTRACTED.value, index=True)
    review_status: Mapped[str] = _review()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confidential: Mapped[bool] = _confidential()
    # names of this incident's fields hidden from viewers (e.g. ``detention_place``)
    confidential_fields: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by: Mapped[str | None] = mapped_column(String(100))
    # this row tells the same real event as that incident (from another source); the canonical
    # incident is the one with no ``same_as_id``, and each row keeps its own date and place
    same_as_id: Mapped[str | None] = _fk("incidents.id", nullable=True, ondelete="SET NULL")


class Act(Base):
    """One act type done to one victim (or to no named victim) in an incident."""

    __tablename__ = "acts"
    __table_args__ = (
        CheckConstraint("victim_person_id IS NULL OR victim_organisation_id IS NULL", name="one_victim"),
    )

    id: Mapped[str] = _id()
    incident_id: Mapped[str] = _fk("incidents.id")
    victim_person_id: Mapped[str | None] = _fk("people.id", nullable=True, ondelete="SET NULL")
    victim_organisation_id: Mapped[str | None] = _fk("organisations.id", nullable=True, ondelete="SET NULL")
    act_type: Mapped[str] = mapped_column(String(40), index=True)
    date: Mapped[str | None] = mapped_column(String(10))
    date_precision: Mapped[str | None] = mapped_column(String(5))
    review_status: Mapped[str] = _review()


class Perpetrator(Base):
    """An actor; ``name`` is None for a generic one (``police``), described in ``description``."""

    __tablename__ = "perpetrators"

    id: Mapped[str] = _id()
    source_id: Mapped[str] = _fk("sources.id")
    name: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # state | non_state | unknown
    description: Mapped[str | None] = mapped_column(Text)
    review_status: Mapped[str] = _review()


class Involvement(Base):
    """A perpetrator's part in an act (``kind``: ``perpetrator`` unless a reviewer says more)."""

    __tablename__ = "involvements"

    id: Mapped[str] = _id()
    act_id: Mapped[str] = _fk("acts.id")
    perpetrator_id: Mapped[str] = _fk("perpetrators.id")
    kind: Mapped[str] = mapped_column(String(20), default="perpetrator")
    review_status: Mapped[str] = _review()


class Charge(Base):
    __tablename__ = "charges"

    id: Mapped[str] = _id()
    incident_id: Mapped[str] = _fk("incidents.id")
    offence: Mapped[str | None] = mapped_column(Text)
    law: Mapped[str | None] = mapped_column(Text)
    article: Mapped[str | None] = mapped_column(String(50))
    position: Mapped[int] = _position()
    review_status: Mapped[str] = _review()


class Sanction(Base):
    """A penalty; ``incident_id`` is None when the report does not tie it to one incident."""

    __tablename__ = "sanctions"

    id: Mapped[str] = _id()
    incident_id: Mapped[str | None] = _fk("incidents.id", nullable=True)
    source_id: Mapped[str] = _fk("sources.id")
    type: Mapped[str] = mapped_column(String(20))
    amount: Mapped[float | None] = mapped_column(Float)
    amount_max: Mapped[float | None] = mapped_column(Float)
    currency: Mapped[str | None] = mapped_column(String(3))
    months: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = _position()
    review_status: Mapped[str] = _review()


class Demand(Base):
    """A call to action the report addresses to the authorities."""

    __tablename__ = "demands"

    id: Mapped[str] = _id()
    source_id: Mapped[str] = _fk("sources.id")
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = _position()
    review_status: Mapped[str] = _review()


class Evidence(Base):
    """A span of a source's text supporting one fact row (``fact_table``, ``fact_id``).

    ``fact_table`` is one of :data:`FACT_TABLES`; ``field`` keeps what the span supports
    (``victim``, ``date``, ``act:arrest``...), so incident-level evidence needs no act row.
    """

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_fact", "fact_table", "fact_id"),)

    id: Mapped[str] = _id()
    source_id: Mapped[str] = _fk("sources.id")
    fact_table: Mapped[str] = mapped_column(String(32))
    fact_id: Mapped[str] = mapped_column(ID)
    field: Mapped[str] = mapped_column(String(100))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(100))
    rule: Mapped[str] = mapped_column(Text, default="")


def _decision() -> Mapped[str]:
    """``auto`` | ``suggested`` | ``confirmed`` | ``rejected``: who decided a link, and how."""
    return mapped_column(String(16))


def _reasons() -> Mapped[list[str]]:
    """Short reasons a link was proposed (``["same name in another script", "same country"]``)."""
    return mapped_column(JSON, default=list)


class Entity(Base):
    """A canonical person or organisation, above the mentions of every report that names it.

    Mentions point here through ``entity_id``; ``entity_links`` keeps every link decision. A merged
    entity is never deleted: ``merged_into`` says where it went, so a split can bring it back.
    """

    __tablename__ = "entities"
    __table_args__ = (CheckConstraint("kind IN ('person', 'organisation')", name="kind"),)

    id: Mapped[str] = _id()
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)  # the display name chosen among the mentions
    country: Mapped[str | None] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    merged_into: Mapped[str | None] = _fk("entities.id", nullable=True, ondelete="SET NULL")


class EntityLink(Base):
    """One decision about a mention (a ``people`` or ``organisations`` row) and a candidate entity,
    with the score and reasons that proposed it; one row per (mention, entity) pair."""

    __tablename__ = "entity_links"
    __table_args__ = (UniqueConstraint("mention_table", "mention_id", "entity_id"),)

    id: Mapped[str] = _id()
    mention_table: Mapped[str] = mapped_column(String(32))
    mention_id: Mapped[str] = mapped_column(ID)
    entity_id: Mapped[str] = _fk("entities.id")
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = _reasons()
    decision: Mapped[str] = _decision()
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Case(Base):
    """A case file: the incidents concerning the same defenders over time, under a reference in
    the Observatory's style (``KAZ 001 / 1125``: ISO alpha-3 country, running number, month and
    year of opening). A merged case keeps its row and reference, with ``merged_into`` set."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("country", "number"),)

    id: Mapped[str] = _id()
    ref: Mapped[str] = mapped_column(String(40), unique=True, index=True)
    country: Mapped[str] = mapped_column(String(3))  # ISO 3166-1 alpha-3, XXX when unknown
    number: Mapped[int] = mapped_column(Integer)
    opened: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    title: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open | closed
    situation: Mapped[str] = mapped_column(String(32))  # the defenders' current situation
    confidential: Mapped[bool] = _confidential()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    merged_into: Mapped[str | None] = _fk("cases.id", nullable=True, ondelete="SET NULL")


class CaseCounter(Base):
    """The last case number given in a country. Numbers only go up: one given to a case that was
    later merged away is never given again."""

    __tablename__ = "case_counters"

    country: Mapped[str] = mapped_column(String(3), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class CaseIncident(Base):
    """An incident in a case: ``followup`` 0 opened it, then 1, 2... (the ``.1``, ``.2`` of the
    reference) in the order they were added; a proposed follow-up waits as ``suggested``."""

    __tablename__ = "case_incidents"

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    incident_id: Mapped[str] = mapped_column(
        ID, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    followup: Mapped[int] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    reasons: Mapped[list[str]] = _reasons()
    decision: Mapped[str] = _decision()
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(100))


class CaseEntity(Base):
    """A defender or organisation the case concerns."""

    __tablename__ = "case_entities"

    case_id: Mapped[str] = mapped_column(ID, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    entity_id: Mapped[str] = mapped_column(
        ID, ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ChainLink(Base):
    """A HURIDOCS "chain of events" link: ``from`` is a follow-up of, is caused by, or is the same
    event as ``to``. The services refuse a link that would close a circle."""

    __tablename__ = "chain_links"
    __table_args__ = (UniqueConstraint("from_incident_id", "to_incident_id", "relation"),)

    id: Mapped[str] = _id()
    from_incident_id: Mapped[str] = _fk("incidents.id")
    to_incident_id: Mapped[str] = _fk("incidents.id")
    relation: Mapped[str] = mapped_column(String(16))  # follow_up_of | caused_by | same_as
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))


class Merge(Base):
    """What one merge did, column by column, so that a split puts back exactly that.

    ``changes`` is a list of ``{table, id, column, before, after}`` (see :mod:`hrdwatch.store.merges`);
    ``undone_at`` is set when the merge was split again.
    """

    __tablename__ = "merges"

    id: Mapped[str] = _id()
    kind: Mapped[str] = mapped_column(String(16))  # entity | incident | case
    survivor_id: Mapped[str] = mapped_column(ID, index=True)
    absorbed_id: Mapped[str] = mapped_column(ID, index=True)
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str | None] = mapped_column(String(100))
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by: Mapped[str | None] = mapped_column(String(100))


class User(Base):
    """An account. ``password_hash`` is argon2id; ``totp_secret`` is set once TOTP is enrolled."""

    __tablename__ = "users"

    id: Mapped[str] = _id()
    username: Mapped[str] = mapped_column(String(100), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # the 30 s step of the last one-time code accepted: a code of that step or earlier is a replay
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    totp_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginSession(Base):
    """A browser session; ``id`` is the SHA-256 of the cookie value, never the value itself."""

    __tablename__ = "login_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _fk("users.id")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a password was given but the second factor is still due
    pending_totp: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class LoginCounter(Base):
    """Failed logins counted per key (``user:<name>``, ``ip:<address>``, ``all``) in a fixed window.

    A login reserves its slot here with one conditional UPDATE *before* the password is checked,
    so a burst of concurrent attempts can never pass more checks than the limit.
    """

    __tablename__ = "login_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime)
    count: Mapped[int] = mapped_column(Integer, default=0)


class ApiToken(Base):
    """A token for scripts; ``token_hash`` is the SHA-256 of the secret shown once at creation."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = _id()
    user_id: Mapped[str] = _fk("users.id")
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuditEvent(Base):
    """One line of the append-only audit log (triggers refuse UPDATE and DELETE).

    ``actor`` is the user name as it was at the time (kept even if the user is later removed);
    ``before`` and ``after`` hold the changed values as JSON. ``hash`` is the SHA-256 of the row
    with ``prev_hash`` (the previous row's hash), so the rows form a chain; ``seal`` is an HMAC of
    the id and hash under a key kept outside the database (see :mod:`hrdwatch.store.audit`).
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_action_subject_at", "action", "subject", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(100), index=True)
    action: Mapped[str] = mapped_column(String(50))
    subject: Mapped[str | None] = mapped_column(String(200))  # e.g. the user name a login was for
    target_table: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str | None] = mapped_column(String(96))  # key id ":" HMAC-SHA256; None before 0004


class AuditHead(Base):
    """One row (id 1): the newest audit row. Appends lock it first, so two writers never fork
    the chain; :func:`hrdwatch.store.audit.verify_chain` checks that the log still ends there."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_id: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
