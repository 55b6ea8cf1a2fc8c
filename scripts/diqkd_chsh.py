"""Rule diqkd_chsh: the CHSH protocol (Pironio et al. 2009) as the baseline."""

import numpy as np

from bellflow import diqkd
from bellflow.io import scalar, write_result


def main(v_points: int, out: str) -> None:
    ds = diqkd.chsh_baseline(np.linspace(1 / np.sqrt(2), 1.0, v_points))
    ds["qber_threshold"] = scalar(diqkd.chsh_qber_threshold(), "QBER where r = 0")
    write_result(out, ds, topic="diqkd", params={"v_points": v_points})


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
