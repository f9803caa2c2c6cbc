import json

import pytest

from carteblanche.mobility.matrix import MatrixError, estimated, from_routing_engine

pytestmark = pytest.mark.no_database  # plain data: CI runs it on SQLite only

CAHORS, CATUS = (44.4475, 1.4419), (44.5594, 1.3364)


def test_estimated_by_road_factor_and_speed():
    minutes, metres = estimated([CAHORS, CATUS])
    assert minutes[0][0] == 0 and metres[0][0] == 0
    assert 19_000 < metres[0][1] < 21_000  # about 15 km as the crow flies, × 1.3
    assert minutes[0][1] == 24  # at 50 km/h, rounded up


def test_osrm_and_valhalla_responses():
    osrm = {"code": "Ok", "durations": [[0, 1250.5], [1300, 0]], "distances": [[0, 21000.4], [20900, 0]]}
    assert from_routing_engine(json.dumps(osrm).encode(), 2) == ([[0, 21], [22, 0]], [[0, 21000], [20900, 0]])
    valhalla = {
        "sources_to_targets": [
            [{"time": 0, "distance": 0}, {"time": 1250, "distance": 21.0}],
            [{"time": 1300, "distance": 20.9}, {"time": 0, "distance": 0}],
        ]
    }
    assert from_routing_engine(json.dumps(valhalla).encode(), 2) == ([[0, 21], [22, 0]], [[0, 21000], [20900, 0]])


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"pas du json", "JSON lisible"),
        (json.dumps({"durations": [[0, 1], [1, 0]]}).encode(), "pas de distances"),
        (json.dumps({"durations": [[0]], "distances": [[0]]}).encode(), "2 × 2"),
        (json.dumps({"durations": [[0, None], [1, 0]], "distances": [[0, 1], [1, 0]]}).encode(), "introuvable"),
        (json.dumps({"routes": []}).encode(), "Format non reconnu"),
    ],
)
def test_bad_files_are_refused_with_a_reason(raw, message):
    with pytest.raises(MatrixError, match=message):
        from_routing_engine(raw, 2)
