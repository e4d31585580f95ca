"""Secret ballots (docs/decisions.md, "Secret ballots"): a choice is sealed with the
election's own key (AES-GCM, random nonce) when cast, and opened and shuffled at declaration,
under a neutral actor, so that no event holds a voter together with a choice."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.kernel.actor import Actor
from domain.kernel.errors import RuleViolation

# The neutral actor the counted ballots are recorded under: it names no user and no unit.
BALLOT_BOX = Actor(user_id="ballot-box", user_name="ballot box", roles=(), unit_id=None,
                   role=None, source="ballot-box")


# -- sealing a secret ballot ------------------------------------------------------------------
def new_ballot_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def _aad(election_id: str, seat: str, voter: str) -> bytes:
    return f"{election_id}|{seat}|{voter}".encode()


def seal_choice(key: bytes, election_id: str, seat: str, voter: str, candidate: str) -> str:
    """The choice, encrypted with a random nonce: equal choices never look equal."""
    nonce = os.urandom(12)
    box = AESGCM(key).encrypt(nonce, candidate.encode(), _aad(election_id, seat, voter))
    return base64.b64encode(nonce + box).decode()


def open_choice(key: bytes, election_id: str, seat: str, voter: str, sealed: str) -> str:
    raw = base64.b64decode(sealed)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], _aad(election_id, seat, voter)).decode()
    except InvalidTag:
        raise RuleViolation("A sealed ballot cannot be opened with this election's key; the "
                            "election must be annulled and held again.", field="election_id",
                            rule="ballot_key_valid") from None


def shuffled_ballots(choices: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """(seat, candidate) pairs as anonymous ballots: random numbers, sorted by number, so
    the order says nothing about the order in which they were cast."""
    ballots = [{"ballot_no": secrets.token_hex(8), "seat": seat, "candidate": candidate}
               for seat, candidate in choices]
    return sorted(ballots, key=lambda b: b["ballot_no"])
