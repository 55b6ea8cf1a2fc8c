"""Rule interconversion_hardy_schmidt: max Hardy success vs Schmidt coefficient s (closed form
on the grid, numerical maximisation at the check points)."""

from bellflow import interconversion
from bellflow.grids import grid
from bellflow.io import write_result


def main(params: dict, out: str) -> None:
    s, check = grid(params["s"]), grid(params["check_s"])
    ds = interconversion.hardy_schmidt_curve(s, check, starts=params["starts"], seed=params["seed"])
    write_result(out, ds, topic="interconversion", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(dict(snakemake.params), snakemake.output.h5)
