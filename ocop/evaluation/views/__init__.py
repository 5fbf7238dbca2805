"""Pages of the OCOP cycle: dossiers, pre-check, score sheets, results and guidance, rounds, councils, decisions.

Views only shape input and output; every rule is in `services` and every read in `selectors`."""

from ocop.evaluation.views.councils import (  # noqa: F401
    council_create,
    decision_create,
    dossier_propose,
    round_list,
    scoresheet,
    scoresheets_reopen,
)
from ocop.evaluation.views.criteria import (  # noqa: F401
    criteria_set_detail,
    criteria_set_list,
)
from ocop.evaluation.views.dossiers import (  # noqa: F401
    dossier_create,
    dossier_detail,
    dossier_list,
    dossier_precheck,
    dossier_submit,
    evidence_add,
    evidence_download,
)
