"""Rule causal_facets (beyond paper 001): facet classes of the simplest causal polytope and
their ICO bounds, as HDF5 and as a CSV table for the report."""

import numpy as np
import pandas as pd

from bellflow import causal
from bellflow.io import atomic_path, scalar, write_result


def main(check_directions: int, seed: int, h5: str, csv: str) -> None:
    kw = {"check_directions": check_directions, "seed": seed}
    facets = causal.causal_polytope_facets(**kw)
    rows = causal.facet_ico_table(facets)
    cols = ["orbit_size", "tight_vertices", "single_trigger", "causal", "ico", "ico_certified"]
    cols += ["ico_achieved", "ico_gap", "algebraic", "relative_violation"]
    data = {c: (("facet_class",), np.array([r[c] for r in rows]), {"description": c}) for c in cols}
    data["representative"] = (
        ("facet_class", "entry"),
        np.array([r["representative"].ravel() for r in rows]),
        {"description": "coefficients alpha[a1, a2, x1, x2] (raveled) of alpha.p <= 1"},
    )
    data["n_facets"] = scalar(len(facets["facets"]), "number of facets")
    data["support_discrepancy"] = scalar(facets["support_discrepancy"], "H vs V support check")
    data["n_classes"] = scalar(len(rows), "number of facet classes under relabelling")
    data["min_facet_dim"] = scalar(int(min(facets["facet_dims"])), "smallest facet dimension")
    data["min_facets_per_vertex"] = scalar(facets["min_facets_per_vertex"], "vertex degree")
    coords = {
        "facet_class": np.arange(len(rows)),
        "entry": np.arange(data["representative"][1].shape[1]),
    }
    write_result(h5, data, coords=coords, topic="causal", params=kw)
    table = pd.DataFrame([{c: r[c] for c in cols} for r in rows])
    table.insert(
        0, "inequality (alpha . p <= 1, nonzero alpha[a1 a2 | x1 x2])", [_fmt(r) for r in rows]
    )
    with atomic_path(csv) as tmp:
        table.to_csv(tmp, index=False, float_format="%.10g")


def _fmt(row: dict) -> str:
    g = row["representative"]
    terms = [
        f"{g[a1, a2, x1, x2]:g} p({a1}{a2}|{x1}{x2})"
        for a1, a2, x1, x2 in zip(*np.nonzero(g), strict=True)
    ]
    return " + ".join(terms)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), h5=snakemake.output.h5, csv=snakemake.output.csv)
