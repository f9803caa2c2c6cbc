import pytest

from carteblanche.core import jsondata
from carteblanche.mobility.matrix import MatrixError, from_routing_engine
from carteblanche.territories.importers import parse_boundaries

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

DEEP = b"[" * 200_000 + b"]" * 200_000


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (DEEP, "imbriqué bien trop profondément"),
        (b"\xff\xfe{}", "pas en UTF-8"),
        (b'{"a": ', "ligne 1"),
    ],
)
def test_an_upload_that_is_not_json_gives_a_french_reason_never_a_crash(raw, reason):
    with pytest.raises(jsondata.UnreadableJson, match=reason):
        jsondata.load(raw)


def test_every_json_import_refuses_a_deeply_nested_file_with_its_own_message():
    errors = []
    assert parse_boundaries(DEEP, errors=errors) == {}
    assert "GeoJSON lisible (JSON imbriqué bien trop profondément" in errors[0].message
    with pytest.raises(MatrixError, match="imbriqué bien trop profondément"):
        from_routing_engine(DEEP, 3)


def test_an_ordinary_file_with_a_byte_order_mark_is_read():
    assert jsondata.load(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}
