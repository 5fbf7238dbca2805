"""Vietnamese text handling: NFC normalisation, accent folding, tone placement and sort keys.

Every string that enters the system goes through `nfc()`. Search compares `vn_fold()`ed
text; exact-accent ranking compares `vn_tone_key()`s; lists sort on `vn_sort_key()`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import nh3

# Combining marks of the five Vietnamese tones (ngang has none).
GRAVE, ACUTE, HOOK, TILDE, DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
TONE_MARKS = (GRAVE, HOOK, TILDE, ACUTE, DOT)  # dictionary order: huyền, hỏi, ngã, sắc, nặng
# Combining marks that make a different letter (ă â ê ô ơ ư), not a tone.
CIRCUMFLEX, BREVE, HORN = "\u0302", "\u0306", "\u031b"

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(value: str) -> str:
    """Return `value` in Unicode NFC with surrounding white space removed and inner runs collapsed."""
    # str.split() splits on exactly the characters `\s` matches (str.isspace), three times faster than re.sub.
    return " ".join(unicodedata.normalize("NFC", value).split())


def nfc_text(value: str) -> str:
    """NFC for multi-line text: keeps line breaks, trims each line and the whole."""
    lines = unicodedata.normalize("NFC", value).replace("\r\n", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def plain_text(value: str, *, multiline: bool = False) -> str:
    """User text as stored: markup removed by nh3 (script and style with their content), entities read back
    to characters, then NFC (`nfc_text` keeps line breaks). Pages escape it on output; nothing a browser
    could run is kept, whatever was pasted from a web page or a word processor."""
    value = value or ""
    if "<" in value or "&" in value:  # the fast path keeps imports of 100,000 rows quick
        value = html.unescape(nh3.clean(value, tags=set(), clean_content_tags={"script", "style"}))
    return nfc_text(value) if multiline else nfc(value)


def _vn_fold_slow(value: str) -> str:
    decomposed = unicodedata.normalize("NFD", value.translate(_D_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Every precomposed Latin letter (Latin-1 to Latin Extended Additional, which hold all of Vietnamese)
# mapped to its folded form once, so that folding is one `str.translate` per string.
_FOLD_TABLE = {
    cp: _vn_fold_slow(chr(cp))
    for cp in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00))
    if _vn_fold_slow(chr(cp)) != chr(cp)
}


def vn_fold(value: str) -> str:
    """Fold Vietnamese text for matching: đ→d, every mark stripped, lower-case, spaces collapsed.

    U+0111 (đ) has no canonical decomposition, so it is mapped explicitly; otherwise it would
    survive accent stripping (or vanish under ASCII encoding).
    """
    folded = unicodedata.normalize("NFC", value).translate(_FOLD_TABLE)
    if not folded.isascii() and (
        not unicodedata.is_normalized("NFD", folded) or any(unicodedata.combining(ch) for ch in folded)
    ):
        # a mark without a precomposed letter to join, or a composed character outside the table
        folded = _vn_fold_slow(folded)
    return " ".join(folded.lower().split())


_WORDS_AND_GAPS = re.compile(r"(\w+)")  # split: the text between words, then a word, and so on
_VOWELS = set("aăâeêioôơuưy")
_MODIFIED = set("ăâêôơư")


def _tone_of(decomposed: str) -> tuple[str, str]:
    """Split an NFD syllable into (syllable without tone mark, tone mark or '')."""
    tone = ""
    out = []
    for ch in decomposed:
        if ch in TONE_MARKS:
            tone = ch
        else:
            out.append(ch)
    return "".join(out), tone


def _tone_position(syllable: str) -> int | None:
    """Index of the vowel that carries the tone in the modern ("new") placement, or None."""
    lower = syllable.lower()
    positions = [i for i, ch in enumerate(lower) if ch in _VOWELS]
    if not positions:
        return None
    # "qu" and "gi" + vowel: the u / i belongs to the consonant.
    if lower.startswith("qu") and 1 in positions and len(positions) > 1:
        positions.remove(1)
    if lower.startswith("gi") and 1 in positions and len(positions) > 1:
        positions.remove(1)
    modified = [i for i in positions if lower[i] in _MODIFIED]
    if modified:
        return modified[-1]
    if len(positions) == 1:
        return positions[0]
    ends_with_vowel = positions[-1] == len(lower) - 1
    if len(positions) >= 3 or not ends_with_vowel:
        return positions[1]
    pair = lower[positions[0]] + lower[positions[1]]
    return positions[1] if pair in {"oa", "oe", "uy"} else positions[0]


# Words repeat (Vietnamese has about 7,000 syllables in use), so a few thousand cover a list; a bound of 16,384 keeps
# a 100,000-row import's unique tokens (row numbers, codes) from holding ~25 MB more than the words need.
WORD_MEMO = 16_384


@lru_cache(maxsize=WORD_MEMO)
def _retone(word: str) -> str:
    base, tone = _tone_of(unicodedata.normalize("NFD", word))
    base = unicodedata.normalize("NFC", base)
    if not tone:
        return base
    pos = _tone_position(base)
    if pos is None:
        return unicodedata.normalize("NFC", base + tone)
    return unicodedata.normalize("NFC", base[: pos + 1] + tone + base[pos + 1 :])


def vn_tone_key(value: str) -> str:
    """Lower-cased NFC text with tone marks in one canonical place, so "hoà" equals "hòa"."""
    pieces = _WORDS_AND_GAPS.split(nfc(value).lower())  # words at the odd places
    pieces[1::2] = map(_retone, pieces[1::2])
    return "".join(pieces)


# Letters in Vietnamese alphabetical order; a base letter followed by its modifier mark.
_ALPHABET = [
    "a", "a" + BREVE, "a" + CIRCUMFLEX, "b", "c", "d", "đ", "e", "e" + CIRCUMFLEX, "f", "g", "h",
    "i", "j", "k", "l", "m", "n", "o", "o" + CIRCUMFLEX, "o" + HORN, "p", "q", "r", "s", "t", "u",
    "u" + HORN, "v", "w", "x", "y", "z",
]  # fmt: skip
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_TONE_RANK = {mark: str(index + 1) for index, mark in enumerate(TONE_MARKS)}


def _sort_letters(text: str) -> tuple[str, str]:
    """The letters and tones of NFD `text` (see `vn_sort_key`)."""
    letters: list[str] = []
    tones: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if ch + nxt in _LETTER_RANK:
            letters.append(chr(0x100 + _LETTER_RANK[ch + nxt]))
            i += 2
        elif ch in _LETTER_RANK:
            letters.append(chr(0x100 + _LETTER_RANK[ch]))
            i += 1
        elif ch in _TONE_RANK:
            if tones:
                tones[-1] = _TONE_RANK[ch]
            i += 1
            continue
        elif unicodedata.combining(ch):
            i += 1
            continue
        else:
            # Spaces and punctuation sort before digits, digits before letters.
            letters.append(" " if not ch.isalnum() else ch)
            i += 1
        if letters[-1] != " ":
            tones.append("0")
    return "".join(letters), "".join(tones)


@lru_cache(maxsize=WORD_MEMO)
def _word_sort_letters(word: str) -> tuple[str, str]:
    return _sort_letters(unicodedata.normalize("NFD", _retone(word)))


def vn_sort_key(value: str) -> str:
    """A string whose plain code-point order is Vietnamese dictionary order.

    Letters compare first (a < ă < â < b … d < đ < e; Đ after D, not after Z), then tones
    (ngang < huyền < hỏi < ngã < sắc < nặng), then case. Works as a stored column on any database.
    Words are worked out once each (a list of 100,000 names repeats its words); the characters between them
    are spaces and punctuation, which sort as a space.
    """
    pieces = _WORDS_AND_GAPS.split(nfc(value).lower())  # the words of `vn_tone_key`, each retoned once
    letters: list[str] = []
    tones: list[str] = []
    for index, piece in enumerate(pieces):
        if index % 2:  # a word
            word_letters, word_tones = _word_sort_letters(piece)
            letters.append(word_letters)
            tones.append(word_tones)
        elif piece:
            if any(unicodedata.combining(ch) for ch in piece):  # a stray mark: it tones the letter before it
                all_letters, all_tones = _sort_letters(unicodedata.normalize("NFD", vn_tone_key(value)))
                return all_letters.strip() + "\x01" + all_tones
            letters.append(" " * len(piece))
    return "".join(letters).strip() + "\x01" + "".join(tones)


def slugify_vn(value: str, max_length: int = 80) -> str:
    """A readable ASCII slug from Vietnamese text: "Đậu phụ Mơ" → "dau-phu-mo"."""
    folded = vn_fold(value)
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    return slug[:max_length].rstrip("-") or "x"
