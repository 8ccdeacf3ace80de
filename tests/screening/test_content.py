"""The agenda and pre-read detector against the corpus of realistic invites."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from gatekeeper.screening.content import analyze


def _explain(case: dict[str, Any]) -> str:
    report = analyze(case["invite"])
    return (
        f"{case['file']}: {case['id']} ({case['why']})\n"
        f"  agenda={report.has_agenda} evidence={report.agenda_evidence}\n"
        f"  preread={report.has_preread} evidence={report.preread_evidence}\n"
        f"  notes={report.notes}"
    )


def test_corpus_case(invite_case: dict[str, Any]) -> None:
    report = analyze(invite_case["invite"])
    expected = invite_case["expected"]
    assert (report.has_agenda, report.has_preread) == (
        expected["agenda"],
        expected["preread"],
    ), _explain(invite_case)


def test_corpus_case_lists_its_evidence(invite_case: dict[str, Any]) -> None:
    report = analyze(invite_case["invite"])
    assert report.has_agenda == bool(report.agenda_evidence)
    assert report.has_preread == bool(report.preread_evidence)
    if not report.has_agenda:
        assert report.notes, f"a missing agenda needs a note saying why: {_explain(invite_case)}"
    reasons = report.reasons
    assert len(reasons) == 2
    for evidence in (*report.agenda_evidence, *report.preread_evidence):
        assert evidence and len(evidence) <= 120
        assert any(evidence in reason for reason in reasons)


def test_corpus_is_large_varied_and_balanced(invite_corpus: list[dict[str, Any]]) -> None:
    assert len(invite_corpus) >= 100
    per_file = Counter(case["file"] for case in invite_corpus)
    assert len(per_file) >= 6 and min(per_file.values()) >= 15, per_file
    labels = Counter(
        (case["expected"]["agenda"], case["expected"]["preread"]) for case in invite_corpus
    )
    assert len(labels) == 4 and min(labels.values()) >= 10, labels


def _precision_recall(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    true_pos = sum(1 for found, wanted in pairs if found and wanted)
    found = sum(1 for found, _ in pairs if found)
    wanted = sum(1 for _, wanted in pairs if wanted)
    return (true_pos / found if found else 1.0), (true_pos / wanted if wanted else 1.0)


def test_corpus_precision_and_recall(
    invite_corpus: list[dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    agenda: list[tuple[bool, bool]] = []
    preread: list[tuple[bool, bool]] = []
    for case in invite_corpus:
        report = analyze(case["invite"])
        agenda.append((report.has_agenda, case["expected"]["agenda"]))
        preread.append((report.has_preread, case["expected"]["preread"]))
    agenda_p, agenda_r = _precision_recall(agenda)
    preread_p, preread_r = _precision_recall(preread)
    with capsys.disabled():
        print(
            f"\ncontent corpus ({len(invite_corpus)} invites): "
            f"agenda precision {agenda_p:.3f} recall {agenda_r:.3f}; "
            f"pre-read precision {preread_p:.3f} recall {preread_r:.3f}"
        )
    assert min(agenda_p, agenda_r, preread_p, preread_r) >= 0.95
