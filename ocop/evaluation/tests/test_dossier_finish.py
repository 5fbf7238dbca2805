"""Dossiers finished: evidence per criterion in the self-assessment and beside the council's criterion, a running
total while scoring, a confirmation before submitting, plain messages, and the audit trail in words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ocop.core.audit_words import WORDS
from ocop.evaluation.models import Dossier
from ocop.evaluation.tests.test_services import leaves, new_dossier
from ocop.evaluation.tests.test_views import choose, open_round  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_evidence_attached_to_a_criterion_is_shown_beside_it_to_the_council(client, open_round, commune_officer):  # noqa: F811
    cycle = open_round
    dossier = new_dossier(cycle)
    criterion = leaves(dossier)[2]
    client.force_login(cycle["owner"])
    detail = client.get(reverse("evaluation:dossier-detail", args=[dossier.pk])).content.decode()
    assert f'<option value="{criterion.pk}">{criterion.code}' in detail  # the criterion can be chosen
    assert "data-confirm=" in detail  # the submit button asks first
    pdf = SimpleUploadedFile("vung-nguyen-lieu.pdf", b"%PDF-1.4\n%vung\n", content_type="application/pdf")
    client.post(reverse("evaluation:evidence-add", args=[dossier.pk]),
                {"file": pdf, "title": "Hợp đồng vùng nguyên liệu", "criterion": criterion.pk})  # fmt: skip
    evidence = dossier.evidence.get()
    assert evidence.criterion == criterion
    detail = client.get(reverse("evaluation:dossier-detail", args=[dossier.pk])).content.decode()
    row = detail[detail.index(f"<strong>{criterion.code}</strong>") :]
    row = row[: row.index("</fieldset>")]
    assert "Hợp đồng vùng nguyên liệu" in row  # in the criterion's own row of the self-assessment

    client.post(reverse("evaluation:dossier-detail", args=[dossier.pk]), choose(dossier, -1))
    client.post(reverse("evaluation:dossier-submit", args=[dossier.pk]))
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.SUBMITTED
    client.force_login(commune_officer)
    response = client.post(reverse("evaluation:dossier-precheck", args=[dossier.pk]), {"decision": "forward"},
                           follow=True)  # fmt: skip
    assert "Hội đồng đánh giá, phân hạng sản phẩm OCOP của tỉnh" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.AT_PROVINCE

    client.force_login(cycle["members"][0])
    sheet = client.get(reverse("evaluation:scoresheet", args=[dossier.pk])).content.decode()
    row = sheet[sheet.index(f"<strong>{criterion.code}</strong>") :]
    row = row[: row.index("</fieldset>")]
    assert "Hợp đồng vùng nguyên liệu" in row and reverse("evaluation:evidence-download",
                                                          args=[dossier.pk, evidence.pk]) in row  # fmt: skip
    # the running total: every option carries its points, the total is live
    assert 'data-running-total="#score-form"' in sheet and 'id="score-form"' in sheet
    points = re.findall(r'data-points="([0-9.]+)"', sheet)
    assert len(points) >= len(leaves(dossier)) and all("," not in p for p in points)


def test_every_audit_code_the_services_write_has_words(client, open_round, central_officer):  # noqa: F811
    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        written |= set(re.findall(r'"((?:accounts|catalog|certification|dashboards|evaluation|market|producers|'
                                  r'spreadsheets)\.[a-z_]+\.[a-z_]+)"', path.read_text()))  # fmt: skip
    written.discard("market.inquiry.thread")  # a signing salt, not an audit code
    assert len(written) > 50
    assert not sorted(written - set(WORDS)), "give these codes their words in core/audit_words.py"
    from ocop.evaluation.models import Dossier as Model

    for status in Model.Status.values:  # written as f"evaluation.dossier.{to}"
        assert f"evaluation.dossier.{status}" in WORDS

    dossier = new_dossier(open_round)
    client.force_login(central_officer)
    page = client.get(reverse("site:audit-trail", args=["evaluation.dossier", dossier.pk])).content.decode()
    assert "Đăng ký hồ sơ" in page and "evaluation.dossier.created" not in page
