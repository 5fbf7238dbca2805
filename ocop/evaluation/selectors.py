"""Reads of the OCOP cycle, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Prefetch, QuerySet

from ocop.accounts.scoping import area_of
from ocop.evaluation.models import Criterion, CriterionOption, Dossier, EvaluationRound, ScoreSheet, SheetScore
from ocop.evaluation.scoring import CriterionInfo, Improvement, upgrade_guidance


def dossier_list(*, user: Any, status: str = "") -> QuerySet[Dossier]:
    """The dossiers the user may see, newest first, with what the list shows."""
    dossiers = (
        Dossier.objects.restrict(user)
        .select_related("producer", "round", "commune", "category", "result", "certificate")
        .order_by("-updated_at", "-pk")
    )
    return dossiers.filter(status=status) if status else dossiers


def dossier_get(*, user: Any, pk: int) -> Dossier | None:
    return (
        Dossier.objects.restrict(user)
        .filter(pk=pk)
        .select_related(
            "producer__commune",
            "producer__province",
            "round",
            "category",
            "criteria_set",
            "result",
            "certificate",
            "previous",
        )
        .distinct()
        .first()
    )


def criteria_tree(dossier: Dossier) -> list[Criterion]:
    """The dossier's criteria in order with their options, sections and parents loaded."""
    return list(
        Criterion.objects.filter(criteria_set_id=dossier.criteria_set_id)
        .select_related("section__parent", "parent")
        .prefetch_related(Prefetch("options", queryset=CriterionOption.objects.order_by("points", "order")))
        .order_by("order")
    )


def sheets_visible_to(*, dossier: Dossier, user: Any) -> list[ScoreSheet]:
    """Other members' sheets stay hidden until the user's own sheet is final (officers see final sheets)."""
    sheets = list(dossier.sheets.select_related("member__user").prefetch_related("scores"))
    own = next((s for s in sheets if s.member.user_id == getattr(user, "pk", None)), None)
    if own is not None and own.status != ScoreSheet.Status.FINAL:
        return [own]
    return [s for s in sheets if s.status == ScoreSheet.Status.FINAL or s is own]


def dossier_guidance(*, dossier: Dossier) -> tuple[int, list[Improvement]]:
    """For a scored dossier: the next star band and the fewest improvements that reach it."""
    criteria = criteria_info(dossier)
    means = dict(
        SheetScore.objects.filter(sheet__dossier=dossier, sheet__status=ScoreSheet.Status.FINAL)
        .values("criterion_id")
        .annotate(mean=Avg("points"))
        .values_list("criterion_id", "mean")
    )
    current = {key: Decimal(str(value)) for key, value in means.items()}
    return upgrade_guidance(criteria, current, dossier.result.mean_total)


def rounds_open_for(*, province_id: int, today: dt.date) -> QuerySet[EvaluationRound]:
    return EvaluationRound.objects.filter(
        province_id=province_id, opens_on__lte=today, submission_deadline__gte=today, historic=False
    ).order_by("submission_deadline")


def round_list(*, user: Any) -> QuerySet[EvaluationRound]:
    """The rounds of the province a user answers for (every round for the central office)."""
    rounds = EvaluationRound.objects.select_related("province").prefetch_related("councils")
    area = area_of(user)
    if area is None:
        return rounds.none()
    if area.is_national:
        return rounds
    return rounds.filter(province_id=area.province_id) if area.province_id is not None else rounds.none()


def criteria_info(dossier: Dossier) -> list[CriterionInfo]:
    """The scoring arithmetic's view of a dossier's criteria set: its leaf criteria with their options."""
    criteria = (
        dossier.scoring_set.criteria.filter(children__isnull=True)
        .select_related("section__parent")
        .prefetch_related(Prefetch("options", queryset=CriterionOption.objects.order_by("points")))
    )
    return [
        CriterionInfo(
            id=c.pk,
            code=c.code,
            name=c.name,
            part=(c.section.parent or c.section).code,
            max_points=c.max_points,
            options=tuple(o.points for o in c.options.all()),
            required_points=c.required_points,
            required_from_stars=c.required_from_stars,
        )
        for c in criteria
    ]
