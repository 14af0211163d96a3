"""The support plan as a Word document (.docx) for the council's sign-off, built with python-docx.

It holds what the printable page holds: every part of the plan in the person's own words, the costing line by
line (each row of a line, then the employer's costs) with the totals against the budget, the version the
document was made from and its date, and a block for signatures. Built in memory and returned as bytes: nothing
is written to disk and nothing from the plan is logged.
"""

from __future__ import annotations

from io import BytesIO

from django.utils import dateformat
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from payments.models import pounds

from .costing import PlanCost
from .models import Plan, PlanVersion
from .prompts import SECTIONS

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FILENAME = "support-plan.docx"


def _cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.bold = bold
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _costing_table(document, cost: PlanCost) -> None:
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, (_("Support"), _("Cost"), _("A year")), strict=True):
        _cell(cell, heading, bold=True)
    for line in cost.lines:
        for index, row in enumerate(line.rows):
            cells = table.add_row().cells
            _cell(cells[0], line.title if index == 0 else "")
            _cell(cells[1], f"{row.label}: {row.explanation}" if row.explanation else row.label)
            _cell(cells[2], row.annual, right=True)
    for row in cost.employer_rows:
        cells = table.add_row().cells
        _cell(cells[0], _("Employer costs"))
        _cell(cells[1], f"{row.label}: {row.explanation}" if row.explanation else row.label)
        _cell(cells[2], row.annual, right=True)
    totals = [
        (_("Total a year (%(rates)s figures)") % {"rates": cost.rates_label}, cost.annual),
        (_("Total a week"), cost.weekly),
    ]
    if cost.budget:
        totals.append(
            (
                _("Total %(period)s (the budget period)") % {"period": cost.budget.words},
                pounds(cost.budget.cost_period_pence),
            )
        )
        totals.append(
            (
                _("Budget %(period)s") % {"period": cost.budget.words},
                _("%(amount)s (%(annual)s a year)")
                % {
                    "amount": pounds(cost.budget.budget_period_pence),
                    "annual": pounds(cost.budget.budget_annual_pence),
                },
            )
        )
    for label, figure in totals:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[1])
        _cell(merged, label, bold=True)
        _cell(cells[2], figure, bold=True, right=True)


def plan_docx(*, plan: Plan, cost: PlanCost | None, rates_note: str, version: PlanVersion | None) -> bytes:
    """The plan as .docx bytes. ``cost`` and ``rates_note`` come from ``selectors.plan_costing``."""
    document = Document()
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(12)
    document.core_properties.title = _("Support plan")  # not the person's title or words: file metadata travels
    document.add_heading(plan.title, level=0)
    intro = _("Support plan for %(owner)s. Starts %(starts)s.") % {
        "owner": plan.owner,
        "starts": dateformat.format(plan.starts_on, "j F Y"),
    }
    if version is not None:
        intro += " " + _("Version %(number)s, saved %(saved)s.") % {
            "number": version.number,
            "saved": dateformat.format(version.saved_at, "j F Y, H:i"),
        }
    document.add_paragraph(intro)

    for section in SECTIONS:
        document.add_heading(str(section.title), level=1)
        text = plan.section_text(section.key)
        if text:
            for part in text.splitlines() or [text]:
                document.add_paragraph(part)
        else:
            document.add_paragraph().add_run(_("Not written.")).italic = True

    document.add_heading(_("How I will use my budget: the costing"), level=1)
    if cost is None:
        document.add_paragraph(_("The costing could not be worked out."))
    else:
        _costing_table(document, cost)
        if cost.budget:
            document.add_paragraph().add_run(cost.budget.summary).bold = True
        for warning in cost.warnings:
            document.add_paragraph(warning)
    if rates_note:
        document.add_paragraph(rates_note)

    document.add_heading(_("Signed"), level=1)
    if version:
        document.add_paragraph(_("I agree this is my support plan (version %(number)s).") % {"number": version.number})
    else:
        document.add_paragraph(_("I agree this is my support plan."))
    document.add_paragraph(_("Name: ______________________________   Date: ______________"))
    document.add_paragraph(_("Signature: __________________________"))
    document.add_paragraph(_("For the council"))
    document.add_paragraph(_("Name: ______________________________   Date: ______________"))
    document.add_paragraph(_("Role: ______________________________"))
    document.add_paragraph(_("Signature: __________________________   Budget agreed: £______________"))

    out = BytesIO()
    document.save(out)
    return out.getvalue()
