"""Retail and supermarket contracts as a pipeline: negotiating → signed → supplying → ended.

A contract is recorded by the trade-promotion office of the product's province (or the central office). From the
day it is signed until the day it ends, the product counts as sold in that chain: the contract keeps one retail
sales channel in step, so the statistics' "ký kết tiêu thụ với hệ thống bán lẻ", the catalog's "sold in
supermarkets" filter and the product's "where to buy" all read the contracts without a second count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from ocop.accounts.models import User
from ocop.accounts.permissions import is_central, manages_province, role_of
from ocop.core.errors import ApplicationError
from ocop.core.services import audit_log, model_changes
from ocop.core.text import plain_text
from ocop.market.models import RetailContract, SalesChannel
from ocop.market.services import products_sync_channels

Stage = RetailContract.Stage
ORDER: list[str] = [Stage.NEGOTIATING, Stage.SIGNED, Stage.SUPPLYING, Stage.ENDED]
FIELDS = ("product", "chain", "stage", "stores", "volume", "unit", "value", "signed_on", "supply_from", "ended_on",
          "note")  # fmt: skip


def contracts_for(user: Any) -> QuerySet[RetailContract]:
    """The contracts a user follows: all for the central office, the province's for its officers, a producer's own."""
    contracts = RetailContract.objects.select_related("product__producer", "product__province")
    role = role_of(user)
    if is_central(user):
        return contracts
    if role == User.Role.PROVINCE_OFFICER and user.province_id:
        return contracts.filter(product__province_id=user.province_id)
    if role == User.Role.PRODUCER:
        return contracts.filter(product__producer__memberships__user=user)
    return contracts.none()


@dataclass(frozen=True)
class StageSum:
    stage: str
    label: str
    contracts: int
    value: int


def pipeline(contracts: QuerySet[RetailContract]) -> list[StageSum]:
    """How many contracts stand at each stage and what they are worth (one query)."""
    rows = contracts.order_by().values("stage").annotate(n=Count("id"), v=Sum("value"))
    sums: dict[str, tuple[int, int]] = {row["stage"]: (row["n"], row["v"] or 0) for row in rows}
    return [StageSum(stage.value, str(stage.label), *sums.get(stage.value, (0, 0))) for stage in Stage]


def _check(by: Any, contract: RetailContract | None, fields: dict[str, Any]) -> None:
    product = fields.get("product")
    if (
        product is None
        or not manages_province(by, product.province_id)
        or (contract is not None and not manages_province(by, contract.product.province_id))
    ):
        raise ApplicationError(_("Only the trade-promotion office of the product's province records its contracts."),
                               code="forbidden")  # fmt: skip
    if product.status == product.Status.DRAFT:
        raise ApplicationError(_("This product is not published yet."), field="product", code="product")
    stage = fields["stage"]
    if contract is not None and ORDER.index(stage) < ORDER.index(contract.stage):
        raise ApplicationError(
            _("A contract moves forward only (negotiating → signed → supplying → ended); it is already “%(stage)s”.")
            % {"stage": contract.get_stage_display()}, field="stage", code="backwards",
        )  # fmt: skip
    signed, supply, ended = fields.get("signed_on"), fields.get("supply_from"), fields.get("ended_on")
    if stage in (Stage.SIGNED, Stage.SUPPLYING) and not signed:
        raise ApplicationError(_("Give the date the contract was signed."), field="signed_on", code="signed_on")
    if stage == Stage.SUPPLYING and not supply:
        raise ApplicationError(_("Give the date supplies started."), field="supply_from", code="supply_from")
    if stage == Stage.ENDED and not ended:
        raise ApplicationError(_("Give the date the contract ended (or the talks stopped)."), field="ended_on",
                               code="ended_on")  # fmt: skip
    if stage != Stage.ENDED and ended:
        raise ApplicationError(_("An end date belongs to an ended contract; choose the stage “Ended”."),
                               field="ended_on", code="ended_on")  # fmt: skip
    if signed and supply and supply < signed:
        raise ApplicationError(_("Supplies cannot start before the contract is signed."), field="supply_from",
                               code="dates")  # fmt: skip
    if ended and (signed or supply) and ended < max(d for d in (signed, supply) if d):
        raise ApplicationError(_("A contract cannot end before it was signed or supplies started."),
                               field="ended_on", code="dates")  # fmt: skip


def _keep_channel(contract: RetailContract) -> None:
    """The retail channel runs from the signing to the end; a contract never signed has none."""
    if contract.signed_on is None or contract.stage == Stage.NEGOTIATING:
        channel = contract.channel
        if channel is not None:
            contract.channel = None
            contract.save(update_fields=["channel"])
            channel.delete()
        return
    channel = contract.channel or SalesChannel(kind=SalesChannel.Kind.RETAIL)
    channel.product = contract.product
    channel.name = contract.chain
    channel.stores = contract.stores
    channel.since = contract.signed_on
    channel.until = contract.ended_on if contract.stage == Stage.ENDED else None
    channel.save()
    if contract.channel_id != channel.pk:
        contract.channel = channel
        contract.save(update_fields=["channel"])


@transaction.atomic
def contract_save(*, by: Any, contract: RetailContract | None = None, **fields: Any) -> RetailContract:
    """Record a contract or move it on; its retail channel and the product's catalog flags follow."""
    fields.setdefault("stage", contract.stage if contract else Stage.NEGOTIATING)
    if contract is not None:
        contract = RetailContract.objects.select_for_update(of=("self",)).select_related("product").get(pk=contract.pk)
    _check(by, contract, fields)
    created = contract is None
    contract = contract or RetailContract(created_by=by if getattr(by, "pk", None) else None)
    before = {} if created else {key: getattr(contract, key) for key in FIELDS}
    old_product_id = None if created else contract.product_id
    for key in FIELDS:
        value = fields.get(key)
        setattr(contract, key, plain_text(value, multiline=key == "note") if isinstance(value, str) else value)
    for key in ("chain", "unit", "note"):
        setattr(contract, key, getattr(contract, key) or "")
    contract.full_clean(exclude=["channel"])
    contract.save()
    _keep_channel(contract)
    products_sync_channels({pk for pk in (contract.product_id, old_product_id) if pk is not None})
    if created:
        audit_log(code="market.contract.created", obj=contract, actor=by)
    else:
        after = {key: getattr(contract, key) for key in FIELDS}
        audit_log(code="market.contract.updated", obj=contract, actor=by, changes=model_changes(before, after))
    return contract


def contracts_filter(contracts: QuerySet[RetailContract], *, stage: str = "", query: str = "") -> QuerySet:
    """The pipeline narrowed to a stage and to a chain, product or producer name."""
    if stage in Stage.values:
        contracts = contracts.filter(stage=stage)
    if query:
        contracts = contracts.filter(
            Q(chain__icontains=query) | Q(product__name__icontains=query) | Q(product__producer__name__icontains=query)
        )
    return contracts
