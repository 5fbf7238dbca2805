"""Plain facts of the OCOP programme that every layer may read (no model, no query).

The certificate rules built on them live in `ocop.certification.rules`; these are here, at the bottom, because
the catalog's filters, the importer's cell checks and the statistics forms need them too.
"""

from __future__ import annotations

# Decision 490/QĐ-TTg of 07/05/2018 started the programme; no OCOP record is older.
PROGRAMME_FIRST_YEAR = 2018
# The first certificates of the national programme were issued in 2019: yearly series of certificates
# start there (or earlier, if a province's records do).
FIRST_CERTIFICATES_YEAR = 2019
# The furthest year a form or a file may name (a guard against typing errors, not a rule of the programme).
LAST_YEAR = 2100

# Councils rank products from 1 to 5 stars; only 3, 4 and 5 stars are certified (Decision 148/QĐ-TTg, art. 4).
STAR_LEVELS = (1, 2, 3, 4, 5)
CERTIFIED_STARS = (3, 4, 5)
CERTIFIED_MIN_STARS = CERTIFIED_STARS[0]
CERTIFIED_MAX_STARS = CERTIFIED_STARS[-1]


def is_certified_level(stars: int | None) -> bool:
    """Whether a council result of `stars` earns a certificate."""
    return stars in CERTIFIED_STARS
