import pytest
from django.core.exceptions import ValidationError

from profiles import locality


def test_a_full_postcode_is_cut_to_its_district():
    assert locality.outcode_of("bb1 2ab") == "BB1"
    assert locality.outcode_of("E1W 3TJ") == "E1W"
    assert locality.outcode_of("  pr2  ") == "PR2"


@pytest.mark.parametrize("text", ["", "hello", "12345", "BB1 2ABC", "<script>"])
def test_text_that_is_not_a_postcode_gets_a_clear_error(text):
    with pytest.raises(ValidationError) as error:
        locality.outcode_of(text)
    assert "does not look like a UK postcode" in error.value.messages[0]


def test_a_known_district_is_located_exactly():
    place = locality.locate("BB1 2AB")
    assert (place.outcode, place.precision, place.message) == ("BB1", "district", "")
    assert 53.7 < place.latitude < 53.8


def test_an_unknown_district_falls_back_to_its_area_and_says_so():
    place = locality.locate("BB99")
    assert place.precision == "area"
    assert place.outcode == "BB99"
    assert "BB postcode area" in place.message


def test_an_unknown_area_is_rejected_with_advice():
    with pytest.raises(ValidationError) as error:
        locality.locate("QQ1")
    assert "Check the postcode" in error.value.messages[0]


@pytest.mark.parametrize(
    ("km", "text"),
    [
        (0.3, "less than a mile away"),
        (1.7, "about 1 mile away"),
        (4.9, "about 3 miles away"),
        (30, "about 20 miles away"),
    ],
)
def test_distances_are_shown_rounded(km, text):
    assert locality.rounded_distance(km) == text


def test_distance_between_two_districts_is_plausible():
    blackburn, preston = locality.locate("BB1"), locality.locate("PR1")
    km = locality.distance_km(blackburn.latitude, blackburn.longitude, preston.latitude, preston.longitude)
    assert 12 < km < 20
