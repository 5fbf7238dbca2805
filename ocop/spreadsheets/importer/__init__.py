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
    REORGANISATION,
    REQUIRED,
    CategoryGuesser,
    Defaults,
    Plan,
    Progress,
    Rejection,
    RowRecord,
    TitleFacts,
    check_rows,
    nfc_cells,
    title_facts,
)
