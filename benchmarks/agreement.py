"""Do carerank's published ranking and the hand-written baselines give the same figures?
Counts must be equal, times and rates equal within floating-point noise (the implementations
sum and interpolate in different orders)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from benchmarks.duckdb_baseline import COUNTS, FIGURES, FLOATS, KEY

PUBLISHED_FIGURES = f"""
select {", ".join(FIGURES)} from marts.rpt_brand_ranking
where period_type = 'quarter' and network != 'all' order by {", ".join(KEY)}
"""


def published_figures(published: Path) -> pd.DataFrame:
    """The ranking's figures per quarter, network and brand, from the published copy."""
    with duckdb.connect(str(published), read_only=True) as con:
        return normalised(con.execute(PUBLISHED_FIGURES).df())


def read_figures(path: Path) -> pd.DataFrame:
    return normalised(pd.read_csv(path, dtype={"network": str, "brand_id": str}))


def normalised(frame: pd.DataFrame) -> pd.DataFrame:
    """The figures with one type per column, sorted by the key, so that frames compare."""
    frame = frame[list(FIGURES)].copy()
    frame["period_start"] = pd.to_datetime(frame["period_start"]).dt.strftime("%Y-%m-%d")
    frame[list(COUNTS)] = frame[list(COUNTS)].astype("int64")
    frame[list(FLOATS)] = frame[list(FLOATS)].astype("float64")
    return frame.sort_values(list(KEY)).reset_index(drop=True)


def disagreements(left: pd.DataFrame, right: pd.DataFrame, limit: int = 5) -> list[str]:
    """What differs between two sets of figures (at most ``limit`` lines per kind); empty when
    they agree."""
    both = left.merge(right, on=list(KEY), how="outer", suffixes=("_l", "_r"), indicator=True)
    problems = [
        f"{len(rows)} keys only {side}: {rows[list(KEY)].head(limit).values.tolist()}"
        for side, rows in (
            ("left", both[both["_merge"] == "left_only"]),
            ("right", both[both["_merge"] == "right_only"]),
        )
        if len(rows)
    ]
    both = both[both["_merge"] == "both"]
    for column in COUNTS + FLOATS:
        a, b = both[f"{column}_l"].to_numpy(), both[f"{column}_r"].to_numpy()
        if column in COUNTS:
            same = a == b
        else:
            same = np.isclose(a, b, rtol=1e-9, atol=1e-6, equal_nan=True)
        if not same.all():
            rows = both.loc[~same, [*KEY, f"{column}_l", f"{column}_r"]].head(limit)
            problems.append(f"{column}: {(~same).sum()} rows differ, {rows.values.tolist()}")
    return problems
