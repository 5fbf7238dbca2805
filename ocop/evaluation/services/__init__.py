"""Every rule-bearing write of the OCOP cycle: dossiers, pre-check, councils, score sheets, results, decisions.

Each state change checks who acts and the current state, locks what can race, saves, and writes an audit
entry and a dossier event (who, when, why). The procedure is that of Decision 1489/QĐ-TTg (2025): the
commune pre-checks, the province council certifies 3★ and 4★, products scoring 90 or more go to the
central council for 5★."""

from ocop.evaluation.services.councils import (  # noqa: F401
    council_create,
    result_compute,
    scoresheet_finalise,
    scoresheet_get_or_create,
    scoresheet_save,
    scoresheets_reopen,
)
from ocop.evaluation.services.decisions import (  # noqa: F401
    decision_record,
    dossier_propose_central,
)
from ocop.evaluation.services.dossiers import (  # noqa: F401
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TYPES,
    Status,
    criteria_set_revise,
    dossier_create,
    dossier_precheck,
    dossier_self_assess,
    dossier_submit,
    evidence_add,
    round_open,
)
