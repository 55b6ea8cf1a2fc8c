"""Rule delivery_dikey: entangled / CHSH / DIQKD regions over Fig. 2's (a, S) grid (study 1)."""

from bellflow.delivery import dikey
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    ds = dikey.dikey_scan(grid(params["a"]), grid(params["S"]), params["check_points"])
    write_result(out, ds, topic="delivery", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
