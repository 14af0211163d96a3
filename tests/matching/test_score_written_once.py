"""The score is written once (scoring.features): the compiled kernel runs those very functions."""

from matching import kernels
from matching.scoring import features as F


def test_the_kernel_inlines_the_feature_functions_themselves():
    for name in ("locality", "overlap", "lived_experience", "interests", "price", "quality", "add_term"):
        assert getattr(kernels, f"_{name}").py_func is getattr(F, name)


def test_a_factor_with_no_weight_adds_nothing_in_either_scorer():
    assert F.add_term(1.5, 0.0, 0.9) == 1.5
    assert kernels._add_term(1.5, 0.0, 0.9) == 1.5
    assert kernels._add_term(1.5, 2.0, 0.25) == F.add_term(1.5, 2.0, 0.25) == 2.0
