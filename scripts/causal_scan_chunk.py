"""Rule causal_scan_chunk: one chunk of a paper 001 scan (biased OCB, biased LGYNI or the
Fig. 1 directions), with the solver columns and the certified/achieved values per point."""

from bellflow import causal
from bellflow.io import write_result


def main(scan: str, values: list[float], method: str, out: str) -> None:
    if scan == "biased_ocb":
        ds = causal.biased_ocb_scan(values)
    elif scan == "biased_lgyni":
        ds = causal.biased_lgyni_scan(values)
    else:
        ds = causal.ocb_plane_support(values, method=method)
    params = {"scan": scan, "values": list(values), "method": method}
    write_result(out, ds, topic="causal", params=params)


if __name__ == "__main__":  # pragma: no cover (run by Snakemake)
    from bellflow.logs import rule_log

    with rule_log(snakemake):
        main(**dict(snakemake.params), out=snakemake.output.h5)
