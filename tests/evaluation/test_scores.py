"""Precision and recall come with their 95% Wilson intervals."""

import pandas as pd
import pytest

from evaluation.evaluate import prf, wilson


def test_precision_and_recall_with_their_intervals():
    gold = pd.Series([True] * 10 + [False] * 10)
    pred = pd.Series([True] * 8 + [False] * 2 + [True] * 2 + [False] * 8)
    m = prf(gold, pred)
    assert (m["precision"], m["recall"], m["support"], m["predicted"]) == (0.8, 0.8, 10, 10)
    # Wilson's interval for 8 of 10 (not the symmetric 0.8 +- 0.25 of the normal approximation)
    assert m["precision_ci"] == pytest.approx([0.490, 0.943], abs=1e-3)
    assert m["recall_ci"] == m["precision_ci"]


def test_no_prediction_has_no_interval():
    assert wilson(0, 0) is None
    m = prf(pd.Series([True, False]), pd.Series([False, False]))
    assert m["precision"] is None and m["precision_ci"] is None
    assert m["recall"] == 0.0 and m["recall_ci"][0] == 0.0
