"""The audit trail in words: what each code (``<app>.<entity>.<past verb>``) means, as people say it.

Every code the services write has a sentence here (a test checks it); a code without one — an entry written
by an older version — is still shown, as its entity and verb in words, never as the raw code alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WORDS = {
    "accounts.apitoken.created": _("API token created"),
    "accounts.apitoken.revoked": _("API token revoked"),
    "accounts.second_factor.enabled": _("Sign-in codes turned on"),
    "accounts.second_factor.disabled": _("Sign-in codes turned off"),
    "accounts.invitation.sent": _("Invitation sent"),
    "accounts.invitation.resent": _("Invitation sent again"),
    "accounts.invitation.revoked": _("Invitation withdrawn"),
    "accounts.invitation.accepted": _("Invitation accepted, account created"),
    "accounts.user.signed_up": _("Signed up (waiting for the e-mail confirmation)"),
    "accounts.user.confirmed": _("E-mail address confirmed, account opened"),
    "accounts.user.email_changed": _("E-mail address changed"),
    "accounts.user.activated": _("Account reactivated"),
    "accounts.user.deactivated": _("Account deactivated"),
    "catalog.product.created": _("Product created"),
    "catalog.product.updated": _("Product page edited"),
    "catalog.product.text_hidden": _("Description and story hidden by an officer"),
    "catalog.product.text_shown": _("Description and story shown again"),
    "catalog.picture.added": _("Photo added"),
    "catalog.picture.moved": _("Photos reordered"),
    "catalog.picture.removed": _("Photo removed"),
    "catalog.picture.hidden": _("Photo hidden by an officer"),
    "catalog.picture.shown": _("Photo shown again"),
    "certification.certificate.issued": _("Certificate issued"),
    "certification.certificate.imported": _("Certificate taken from a published list"),
    "certification.certificate.completed": _("Missing certificate details completed"),
    "certification.certificate.updated": _("Certificate details corrected"),
    "certification.certificate.expired": _("Certificate expired (36 months passed)"),
    "certification.certificate.revoked": _("Certificate revoked"),
    "dashboards.plantarget.created": _("Plan target set"),
    "dashboards.plantarget.deleted": _("Plan target deleted"),
    "evaluation.round.opened": _("Evaluation round opened"),
    "evaluation.council.created": _("Council formed"),
    "evaluation.criteriaset.revised": _("Criteria set revised"),
    "evaluation.dossier.created": _("Dossier registered"),
    "evaluation.dossier.submitted": _("Dossier submitted to the commune"),
    "evaluation.dossier.returned": _("Dossier returned to the producer for completion"),
    "evaluation.dossier.at_province": _("Dossier forwarded to the province council"),
    "evaluation.dossier.scored": _("Council scoring finished"),
    "evaluation.dossier.at_central": _("Dossier proposed to the central council"),
    "evaluation.dossier.recognised": _("Product recognised by decision"),
    "evaluation.dossier.not_recognised": _("Product not recognised (below 3 stars)"),
    "evaluation.dossier.draft": _("Dossier back to draft"),
    "evaluation.dossier.flagged": _("Dossier flagged for review"),
    "evaluation.evidence.added": _("Evidence attached"),
    "evaluation.scoresheet.finalised": _("Score sheet signed off"),
    "evaluation.scoresheet.reopened": _("Score sheets reopened for rescoring"),
    "evaluation.decision.recorded": _("Recognition decision recorded"),
    "market.inquiry.sent": _("Inquiry sent to the producer"),
    "market.inquiry.replied": _("Inquiry answered"),
    "market.inquiry.closed": _("Inquiry closed"),
    "market.demand.posted": _("Buyer demand posted"),
    "market.demand.closed": _("Buyer demand closed"),
    "market.offer.made": _("Offer made to a buyer demand"),
    "market.contract.created": _("Retail contract recorded"),
    "market.contract.updated": _("Retail contract changed"),
    "market.salepoint.created": _("Sale point recorded"),
    "market.salepoint.updated": _("Sale point changed"),
    "office.plan.created": _("Plan recorded"),
    "office.plan.updated": _("Plan changed"),
    "office.target.saved": _("Plan target set"),
    "office.target.deleted": _("Plan target deleted"),
    "office.support.created": _("Support recorded"),
    "office.support.updated": _("Support changed"),
    "office.request.sent": _("Support requested"),
    "office.request.answered": _("Request for support answered"),
    "office.inspection.created": _("Inspection recorded"),
    "office.inspection.updated": _("Inspection changed"),
    "office.inspection.revoked": _("Revocation decided after an inspection"),
    "stamps.batch.created": _("Production batch recorded"),
    "stamps.series.ordered": _("Stamps ordered"),
    "stamps.series.printed": _("Stamp labels downloaded for printing"),
    "stamps.signal.closed": _("Counterfeit signal handled"),
    "stamps.report.received": _("Report of a suspected fake received"),
    "stamps.report.closed": _("Report of a suspected fake handled"),
    "market.fair.created": _("Fair announced"),
    "market.fair.updated": _("Fair details changed"),
    "market.booth.requested": _("Fair booth requested"),
    "market.booth.decided": _("Fair booth request decided"),
    "market.booth.results": _("Fair results recorded"),
    "market.material.added": _("Video or brochure added"),
    "market.saleschannel.added": _("Sales channel added"),
    "market.saleschannel.updated": _("Sales channel changed"),
    "market.saleschannel.removed": _("Sales channel removed"),
    "producers.producer.created": _("Producer created"),
    "producers.producer.updated": _("Producer profile edited"),
    "producers.claim.made": _("Asked to act for the producer"),
    "producers.claim.confirmed": _("Account confirmed as acting for the producer"),
    "producers.claim.refused": _("Request to act for the producer refused"),
    "spreadsheets.import.uploaded": _("Published list uploaded"),
    "spreadsheets.import.committed": _("Published list imported"),
    "spreadsheets.review.resolved": _("Doubtful row of a list decided"),
    "spreadsheets.review.committed": _("Reviewed rows of a list imported"),
    "spreadsheets.round.imported": _("Round taken from a published list"),
    "spreadsheets.dossier.imported": _("Result taken from a published list"),
    "spreadsheets.producer.imported": _("Producer taken from a published list"),
    "spreadsheets.producer.updated": _("Producer updated from a published list"),
    "spreadsheets.product.imported": _("Product taken from a published list"),
    "spreadsheets.product.updated": _("Product updated from a published list"),
}

VERBS = {
    "created": _("created"), "updated": _("changed"), "added": _("added"), "removed": _("removed"),
    "deleted": _("deleted"), "imported": _("imported"), "revoked": _("revoked"), "sent": _("sent"),
}  # fmt: skip


def audit_words(code: str) -> str:
    """What an audit code means, in the reader's language."""
    known = WORDS.get(code)
    if known is not None:
        return str(known)
    parts = code.split(".")
    if len(parts) == 3:
        entity, verb = parts[1], parts[2]
        return f"{entity.replace('_', ' ').capitalize()}: {VERBS.get(verb, verb.replace('_', ' '))}"
    return code
