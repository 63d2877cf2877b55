"""HTTP content negotiation (RFC 9110 section 12.5.1) over a fixed list of offered media types.

The most specific media range that matches an offer gives its quality; the offer with the
highest quality wins, ties going to the server's order of preference. A quality of 0 excludes.

A ``q`` that is not a qvalue as RFC 9110 section 12.4.2 writes it (``0`` to ``1`` with at most
three decimals: not ``-1``, ``2``, ``1.5`` or ``high``) makes its range unacceptable, as ``q=0``
would: the client did not say it accepts that type, so it is not sent (406 when nothing else is
acceptable), rather than the range being dropped and the header read as accepting anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A qvalue (RFC 9110 section 12.4.2).
QVALUE = re.compile(r"0(?:\.\d{0,3})?|1(?:\.0{0,3})?")


def qvalue(text: str) -> float:
    """The quality a ``q`` parameter's value gives: 0 for one that is not a valid qvalue."""
    text = text.strip()
    return float(text) if QVALUE.fullmatch(text) else 0.0


@dataclass(frozen=True)
class MediaRange:
    """One element of an Accept header: ``type/subtype`` (either may be ``*``) and its q."""

    type: str
    subtype: str
    quality: float

    def specificity(self, media_type: str) -> int:
        """How closely this range matches ``media_type``: 2 exact, 1 ``type/*``, 0 ``*/*``;
        -1 when it does not match at all."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed elements are skipped."""
    ranges: list[MediaRange] = []
    for element in (header or "").split(","):
        media, *params = [part.strip() for part in element.split(";")]
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                quality = qvalue(value)
        ranges.append(MediaRange(main, sub, quality))
    return ranges


def quality_of(media_type: str, ranges: list[MediaRange]) -> float:
    """The quality the client gives ``media_type``: that of the most specific matching range."""
    best_specificity, quality = -1, 0.0
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best_specificity:
            best_specificity, quality = specificity, media_range.quality
    return quality


def choose(header: str | None, offers: list[str]) -> str | None:
    """The offer to send for an Accept header, or None when none is acceptable (406).

    No Accept header (or an empty one) accepts anything: the first offer is sent.
    """
    if not header or not header.strip():
        return offers[0] if offers else None
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else None
    best, best_quality = None, 0.0
    for offer in offers:  # strict ">" keeps the server's order among equal qualities
        quality = quality_of(offer, ranges)
        if quality > best_quality:
            best, best_quality = offer, quality
    return best


def preferred_language(header: str | None, available: list[str], default: str) -> str:
    """The language of ``available`` that an Accept-Language header prefers most."""
    best, best_quality = default, 0.0
    for element in (header or "").split(","):
        tag, *params = [part.strip() for part in element.split(";")]
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                quality = qvalue(value)
        primary = tag.lower().split("-")[0]
        if primary in available and quality > best_quality:
            best, best_quality = primary, quality
    return best
