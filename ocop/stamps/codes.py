"""Stamp codes: ten random letters and a check letter, typed from the label or read from its QR code.

A code is drawn from the operating system's random source (`secrets`), never from anything a counterfeiter could
know (product, lot, serial, date): ten letters of the 31-letter alphabet without look-alikes (no 0, 1, I, L, O)
give 31¹⁰ ≈ 8.2 × 10¹⁴ codes, so with a hundred million stamps issued a random guess hits one about once in
eight million tries. The eleventh letter is a check letter: the weighted sum of the letters' values (weights
1…11) is a multiple of 31. Because 31 is prime and the weights are distinct and non-zero modulo 31, any single
changed letter and any two neighbouring letters swapped change the sum, so a mistyped code is told apart from
an unknown one before the database is asked.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # the certificates' verification alphabet: no 0/O, 1/I/L
BASE = len(ALPHABET)  # 31, a prime
DATA_LENGTH = 10
CODE_LENGTH = DATA_LENGTH + 1
VALUE = {letter: value for value, letter in enumerate(ALPHABET)}
CODE_PATTERN = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")

# Random bytes below 248 (= 8 × 31) map evenly onto the alphabet by their remainder; the rest are dropped.
_KEEP = 8 * BASE
_TO_LETTER = bytes(ord(ALPHABET[byte % BASE]) if byte < _KEEP else 0 for byte in range(256))
_DROP = bytes(range(_KEEP, 256))


def check_letter(data: str) -> str:
    """The letter that makes the weighted sum of `data` + it a multiple of 31 (its weight is len(data) + 1)."""
    total = sum((position + 1) * VALUE[letter] for position, letter in enumerate(data))
    weight = len(data) + 1
    # weight × v ≡ −total (mod 31): v = −total × weight⁻¹
    return ALPHABET[(-total * pow(weight, -1, BASE)) % BASE]


def is_well_formed(code: str) -> bool:
    """Eleven letters of the alphabet whose check letter agrees."""
    if not CODE_PATTERN.match(code):
        return False
    return sum((position + 1) * VALUE[letter] for position, letter in enumerate(code)) % BASE == 0


def codes_new(count: int) -> list[str]:
    """`count` fresh random codes (possibly, very rarely, one already issued: the caller draws again)."""
    letters = bytearray()
    need = count * DATA_LENGTH
    while len(letters) < need:
        chunk = secrets.token_bytes(max(need - len(letters), 64) * 33 // 32 + 16)
        letters += chunk.translate(_TO_LETTER, _DROP)
    text = letters[:need].decode("ascii")
    return [data + check_letter(data) for data in (text[i : i + DATA_LENGTH] for i in range(0, need, DATA_LENGTH))]


_SEPARATORS = re.compile(r"[\s\-.·_/]+")


def normalise(text: str) -> str:
    """What a person typed or a scanner read: upper case, without spaces and dashes, at most 40 characters."""
    return _SEPARATORS.sub("", (text or "")[:80]).upper()[:40]


def display(code: str) -> str:
    """A code as printed for typing: ABCD-EFGH-JKM."""
    return f"{code[:4]}-{code[4:8]}-{code[8:]}" if len(code) == CODE_LENGTH else code


def looks_like_a_code(text: str) -> bool:
    """Eleven characters of letters and digits: a code, well formed or mistyped (not some other address)."""
    return bool(re.fullmatch(rf"[0-9A-Z]{{{CODE_LENGTH}}}", text))
