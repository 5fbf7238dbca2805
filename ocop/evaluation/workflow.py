"""The dossier workflow as one table: which status may follow which, by which action, and who may take it.

`TRANSITIONS` is the whole procedure of Decision 1489/QĐ-TTg (2025) as the system runs it: the producer
submits to the commune, the commune forwards to the province or returns the dossier, the council's result
marks it scored, the province proposes a product of 90 points or more to the central council, and a decision
recognises it or not. Services move a dossier only along this table (`transition_check`); pages, the API and
the tests ask `available_actions(dossier, user)` what a person may do now, so no view recomputes a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocop.core.errors import ApplicationError
from ocop.core.programme import CERTIFIED_MAX_STARS
from ocop.evaluation.models import CouncilMember, Dossier
from ocop.evaluation.permissions import acts_for, is_central, manages_commune, manages_province

Status = Dossier.Status

# (from, to) → the action that makes the move.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.DRAFT, Status.SUBMITTED): "submit",
    (Status.RETURNED, Status.SUBMITTED): "submit",
    (Status.SUBMITTED, Status.AT_PROVINCE): "precheck",
    (Status.SUBMITTED, Status.RETURNED): "precheck",
    (Status.AT_PROVINCE, Status.SCORED): "score",  # the council's last final sheet computes the result
    (Status.AT_CENTRAL, Status.SCORED): "score",
    (Status.SCORED, Status.AT_CENTRAL): "propose_central",
    (Status.SCORED, Status.RECOGNISED): "decide",
    (Status.SCORED, Status.NOT_RECOGNISED): "decide",
}
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
IN_FRONT_OF_A_COUNCIL = frozenset({Status.AT_PROVINCE, Status.AT_CENTRAL})
FINAL = frozenset({Status.RECOGNISED, Status.NOT_RECOGNISED})


def transition_check(dossier: Dossier, to: str) -> str:
    """The action that moves `dossier` to `to`; refuses a move the procedure does not have."""
    action = TRANSITIONS.get((dossier.status, to))
    if action is None:
        raise ApplicationError(
            _("A dossier cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(dossier.status).label, "to": Status(to).label},
            code="state",
        )
    return action


@dataclass(frozen=True)
class Context:
    """What the rules about one dossier need to know of a user, read once."""

    dossier: Dossier
    user: Any
    seat: CouncilMember | None
    result: Any
    own: bool  # the user acts for the dossier's producer

    @property
    def stars(self) -> int:
        return self.result.stars if self.result is not None else 0


@dataclass(frozen=True)
class Action:
    """Something a person may do to a dossier, with the rule that says who and when."""

    name: str
    label: Any
    allowed: Callable[[Context], bool]


def _own_editable(c: Context) -> bool:
    return c.dossier.status in EDITABLE and c.own


ACTIONS: tuple[Action, ...] = (
    Action("self_assess", gettext_lazy("Self-assess"), _own_editable),
    Action("add_evidence", gettext_lazy("Add evidence"), _own_editable),
    Action("submit", gettext_lazy("Submit to the commune"), _own_editable),
    Action(
        "precheck",
        gettext_lazy("Pre-check"),
        lambda c: c.dossier.status == Status.SUBMITTED and manages_commune(c.user, c.dossier.commune_id),
    ),
    Action(
        "score",
        gettext_lazy("Score"),
        lambda c: c.dossier.status in IN_FRONT_OF_A_COUNCIL and c.seat is not None and c.seat.scores,
    ),
    Action(
        "reopen",
        gettext_lazy("Reopen the sheets"),
        lambda c: (
            c.seat is not None
            and c.seat.role == CouncilMember.Role.CHAIR
            and c.result is not None
            and c.result.needs_discussion
        ),
    ),
    Action(
        "propose_central",
        gettext_lazy("Propose to the central council (5★)"),
        lambda c: (
            c.dossier.status == Status.SCORED
            and c.stars >= CERTIFIED_MAX_STARS
            and manages_province(c.user, c.dossier.province_id)
        ),
    ),
    Action(
        "decide",
        gettext_lazy("Record the decision"),
        lambda c: (
            c.dossier.status == Status.SCORED
            and c.result is not None
            and (manages_province(c.user, c.dossier.province_id) or is_central(c.user))
        ),
    ),
)
ACTION_NAMES = tuple(action.name for action in ACTIONS)


def council_seat(dossier: Dossier, user: Any) -> CouncilMember | None:
    """The user's seat on a council of the dossier's round, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CouncilMember.objects.filter(council__round_id=dossier.round_id, user=user).select_related("council").first()


def available_actions(
    dossier: Dossier, user: Any, *, seat: CouncilMember | bool | None = False, own: bool | None = None
) -> list[str]:
    """What `user` may do to `dossier` now, in the order of the procedure. `seat` (None: no seat) and `own`
    (whether the user acts for the producer) may be passed when the caller has read them already."""
    context = Context(
        dossier=dossier,
        user=user,
        seat=council_seat(dossier, user) if seat is False else seat,  # type: ignore[arg-type]
        result=getattr(dossier, "result", None),
        own=acts_for(user, dossier.producer_id) if own is None else own,
    )
    return [action.name for action in ACTIONS if action.allowed(context)]


def action_allowed(dossier: Dossier, user: Any, name: str) -> bool:
    """Whether `user` may take action `name` on `dossier` now (services check this before acting)."""
    return name in available_actions(dossier, user)
