"""Rule diqkd_bff_chunk: BFF key rates for a chunk of visibilities (family and CHSH)."""

from bellflow import diqkd
from bellflow.io import write_result


def main(visibilities: list[float], d: int, eps: float, m: int, m_chsh: int, out: str) -> None:
    ds = diqkd.bff_rates(visibilities, d=d, eps=eps, m=m, m_chsh=m_chsh)
    params = {"visibilities": list(visibilities), "d": d, "eps": eps, "m": m, "m_chsh": m_chsh}
    write_result(out, ds, topic="diqkd", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
