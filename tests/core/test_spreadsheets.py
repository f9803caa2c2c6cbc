import csv
import io

import pytest

from carteblanche.codesign import report
from carteblanche.core.spreadsheets import safe_cell
from carteblanche.exploration.demo import SLUG
from carteblanche.operations.models import Operation


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://exemple.fr","clic")',
        "+33 6 12 34 56 78",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1",
        "\r=1",
    ],
)
def test_a_text_that_a_spreadsheet_would_run_is_kept_as_text(typed):
    assert safe_cell(typed) == "'" + typed


@pytest.mark.parametrize("value", ["-3", "+2,5", "-12.75", "Cahors", "", 42, -3, None, "Avis = bon"])
def test_numbers_and_ordinary_texts_are_left_as_they_are(value):
    assert safe_cell(value) == value


def test_the_operations_csv_report_neutralises_a_formula_typed_in_a_workshop_title():
    operation = Operation.objects.get(slug=SLUG)
    workshop = operation.workshops.first()
    workshop.title = '=HYPERLINK("http://exemple.fr/vol";"Voir")'
    workshop.save(update_fields=["title"])
    rows = list(csv.reader(io.StringIO(report.as_csv(operation, "ateliers"))))
    assert ["'" + workshop.title] == [row[0] for row in rows if "HYPERLINK" in row[0]]
