"""The distance formula is written once (profiles.locality.haversine_km). The match index measures
with unit vectors and half-chords, and its compiled loop inlines that arithmetic: on random points
across and beyond the UK every form agrees with the one formula to 1e-6 km."""

import math

import numpy as np

from matching import kernels
from matching.scoring import features
from profiles import locality

TOLERANCE_KM = 1e-6


def _random_pairs(n=2000, seed=14):
    rng = np.random.default_rng(seed)
    lat1, lat2 = rng.uniform(-89.9, 89.9, n), rng.uniform(-89.9, 89.9, n)
    lon1, lon2 = rng.uniform(-180, 180, n), rng.uniform(-180, 180, n)
    # Half the pairs close together (the distances search actually meets: under 130 km).
    near = slice(0, n // 2)
    lat2[near] = lat1[near] + rng.uniform(-1, 1, n // 2)
    lon2[near] = lon1[near] + rng.uniform(-1, 1, n // 2)
    lat2 = np.clip(lat2, -89.9, 89.9)
    return lat1, lon1, lat2, lon2


def test_matching_uses_the_profiles_formula():
    assert features.haversine_km is locality.haversine_km
    assert features.unit_vectors is locality.unit_vectors
    assert features.EARTH_RADIUS_KM == locality.EARTH_RADIUS_KM == kernels.EARTH_RADIUS_KM


def test_scalar_and_array_forms_agree():
    lat1, lon1, lat2, lon2 = _random_pairs()
    arrays = locality.haversine_km(lat1, lon1, lat2, lon2)
    for i in range(0, len(lat1), 37):
        assert abs(locality.distance_km(lat1[i], lon1[i], lat2[i], lon2[i]) - arrays[i]) <= TOLERANCE_KM
    # Blackburn to Preston, roughly 15 km, as a sanity anchor for the units.
    assert 14 < locality.distance_km(53.748, -2.482, 53.763, -2.703) < 16


def test_the_index_chord_forms_agree_with_the_formula():
    lat1, lon1, lat2, lon2 = _random_pairs()
    expected = locality.haversine_km(lat1, lon1, lat2, lon2)
    a = np.array(locality.unit_vectors(lat1, lon1))
    b = np.array(locality.unit_vectors(lat2, lon2))
    half_chord = np.sqrt(((a - b) ** 2).sum(axis=0)) / 2
    # matching.index (the NumPy path) ...
    np.testing.assert_allclose(locality.half_chord_km(half_chord), expected, rtol=0, atol=TOLERANCE_KM)
    # ... and matching.kernels.score_rows, which inlines it with its own arcsin series for short distances.
    for i, h in enumerate(half_chord):
        kernel_km = 2 * kernels.EARTH_RADIUS_KM * kernels._asin(min(1.0, math.sqrt(h * h)))
        assert abs(kernel_km - expected[i]) <= TOLERANCE_KM, (lat1[i], lon1[i], lat2[i], lon2[i])
