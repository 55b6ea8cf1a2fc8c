"""Rule interconversion_hardy_schmidt_chunk: max Hardy success vs Schmidt coefficient s
(closed form and measurement optimisation) on one chunk of the s grid."""

import numpy as np

from bellflow import interconversion
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    s = np.linspace(0.0, 1.0, params["s_points"])[params["start"] : params["stop"]]
    ds = interconversion.hardy_schmidt_chunk(s, starts=params["starts"], seed=params["seed"])
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
