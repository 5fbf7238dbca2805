"""The import pipeline: rows → validated records → matched against the database → written in one go.

`plan_import()` reads and checks every row and works out what would change (nothing is written);
`apply_plan()` writes that plan in one transaction. Importing the same file twice changes nothing."""

from ocop.spreadsheets.importer.changes import (  # noqa: F401
    Changes,
    match,
    write_changes,
)
from ocop.spreadsheets.importer.rows import (  # noqa: F401
    NO_DATE,
    NO_NUMBER,
    REORGANISATION,
    REQUIRED,
    CategoryGuesser,
    Defaults,
    Plan,
    Progress,
    Rejection,
    RowRecord,
    check_rows,
    nfc_cells,
)
