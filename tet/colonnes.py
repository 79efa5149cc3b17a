"""Shared column helpers."""
from datetime import datetime, timezone

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, nullable=False
    )


class VersionMixin:
    """Optimistic locking: every ORM update adds ``AND version = <loaded>`` and bumps it, so
    a concurrent change makes the flush fail (StaleDataError) instead of being overwritten;
    edit forms carry the version they were loaded with (``tet.verrous``)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}
