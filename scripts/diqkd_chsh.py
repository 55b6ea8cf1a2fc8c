"""Rule diqkd_chsh: the CHSH protocol (Pironio et al. 2009) as the baseline."""

import numpy as np

from bellflow import diqkd
from bellflow.io import scalar, write_result
from bellflow.logs import to_file


def main(v_points: int, out: str) -> None:
    v = np.linspace(1 / np.sqrt(2), 1.0, v_points)
    res = diqkd.chsh_baseline(v)
    data = {k: (("v",), val, {"description": f"CHSH baseline: {k}"}) for k, val in res.items()}
    data["qber_threshold"] = scalar(diqkd.chsh_qber_threshold(), "QBER where r = 0")
    write_result(out, data, coords={"v": v}, topic="diqkd", params={"v_points": v_points})


if "snakemake" in globals():
    to_file(snakemake.log[0])
    main(**dict(snakemake.params), out=snakemake.output.h5)
