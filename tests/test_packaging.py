"""Packaging: the library imports cleanly next to other tools (no global side effects)."""

import os
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import jsonschema
import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _backend_after_import(**env):
    code = "import bellflow.plotting, matplotlib; print(matplotlib.get_backend())"
    base = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "DISPLAY")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**base, **env},
    )
    return out.stdout.strip().lower()


def test_plotting_keeps_a_configured_backend():
    # a notebook sets MPLBACKEND (inline); importing bellflow.plotting must not switch it
    assert _backend_after_import(MPLBACKEND="svg") == "svg"


def test_plotting_headless_default_is_agg():
    assert _backend_after_import() == "agg"


# -- metadata, versions, constraints ------------------------------------------------------------


def constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements/constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = re.fullmatch(r"([A-Za-z0-9_.\-]+)==(\S+)", line).groups()
            pins[_norm(name)] = version
    return pins


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirements() -> list[Requirement]:
    reqs = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    for deps in PYPROJECT["project"]["optional-dependencies"].values():
        reqs += [Requirement(r) for r in deps if not r.startswith("bellflow[")]
    return reqs


def test_runtime_dependencies_are_lower_bounds():
    for req in _requirements():
        ops = {s.operator for s in req.specifier}
        assert ">=" in ops, f"{req}: needs a lower bound"
        assert "==" not in ops, f"{req}: exact pins belong in requirements/constraints.txt"


def test_constraints_pin_every_dependency_within_its_bounds():
    pins = constraints()
    for req in _requirements():
        name = _norm(req.name)
        assert name in pins, f"{req.name} is not pinned in requirements/constraints.txt"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} violates {req}"
        )


def test_installed_versions_are_the_constraints():
    """The environment the tests run in is the one the constraints file describes."""
    pins = constraints()
    for req in _requirements():
        installed = metadata.version(req.name)
        assert installed == pins[_norm(req.name)], f"{req.name}: installed {installed}"


def test_version_from_git_with_fallback():
    assert "version" in PYPROJECT["project"]["dynamic"]
    assert "version" not in PYPROJECT["project"]
    assert PYPROJECT["tool"]["setuptools_scm"]["fallback_version"]
    build = [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    setuptools = next(r for r in build if r.name == "setuptools")
    # the SPDX string form of `license` needs setuptools >= 77
    assert not setuptools.specifier.contains("76.0") and setuptools.specifier.contains("77.0")
    assert any(r.name == "setuptools-scm" for r in build)


def test_installed_metadata():
    import bellflow

    # the version comes from the package metadata (setuptools-scm), not a literal; a source
    # tree may hold an egg-info of a later build next to the installed one, hence "one of"
    assert bellflow.__version__ in {d.version for d in metadata.distributions(name="bellflow")}
    Version(bellflow.__version__)  # PEP 440
    eps = metadata.entry_points(group="console_scripts", name="bellflow")
    assert [ep.value for ep in eps] == ["bellflow.cli:main"]
    assert (Path(bellflow.__file__).parent / "py.typed").is_file()
    assert "py.typed" in PYPROJECT["tool"]["setuptools"]["package-data"]["bellflow"]


def test_license_file_is_mit():
    assert PYPROJECT["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in text


# A subset of the Citation File Format 1.2.0 schema: what GitHub and Zenodo need.
_PERSON = {
    "type": "object",
    "anyOf": [{"required": ["family-names"]}, {"required": ["name"]}],
    "properties": {
        "family-names": {"type": "string", "minLength": 1},
        "given-names": {"type": "string"},
        "name": {"type": "string", "minLength": 1},
        "orcid": {"type": "string", "pattern": r"^https://orcid\.org/"},
    },
}
CFF_SCHEMA = {
    "type": "object",
    "required": ["cff-version", "message", "title", "authors"],
    "properties": {
        "cff-version": {"const": "1.2.0"},
        "message": {"type": "string", "minLength": 1},
        "title": {"type": "string", "minLength": 1},
        "type": {"enum": ["software", "dataset"]},
        "authors": {"type": "array", "minItems": 1, "items": _PERSON},
        "version": {"type": "string", "minLength": 1},
        "date-released": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "license": {"type": "string"},
        "doi": {"type": "string", "pattern": r"^10\.\d{4,9}/.+$"},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "references": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "title", "authors"],
                "properties": {
                    "authors": {"type": "array", "minItems": 1, "items": _PERSON},
                    "doi": {"type": "string", "pattern": r"^10\.\d{4,9}/.+$"},
                    "year": {"type": "integer"},
                },
            },
        },
    },
}


def test_citation_cff_valid():
    # dates must stay strings: a plain YAML date would be parsed as datetime.date
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    jsonschema.validate(cff, CFF_SCHEMA)
    assert cff["license"] == PYPROJECT["project"]["license"]
    # the cited version is the last release: the fallback version and the CHANGELOG's
    changelog = (ROOT / "CHANGELOG.md").read_text()
    release = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\S+)", changelog, re.M)
    assert release, "CHANGELOG.md has no released version heading"
    fallback = PYPROJECT["tool"]["setuptools_scm"]["fallback_version"]
    assert cff["version"] == release.group(1) == fallback
    assert cff["date-released"] == release.group(2)


def test_cff_schema_rejects_broken_files():
    good = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    for broken in (
        {k: v for k, v in good.items() if k != "authors"},
        {**good, "cff-version": "1.1.0"},
        {**good, "authors": [{"given-names": "only"}]},
        {**good, "date-released": "23 Nov 2026"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, CFF_SCHEMA)


def test_make_installs_with_the_constraints():
    out = subprocess.run(
        ["make", "-n", "-B", ".venv/.bellflow-installed"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    install = [line for line in out.splitlines() if "pip install" in line and " -e " in line]
    assert len(install) == 1
    assert "-c requirements/constraints.txt" in install[0]
    extras = re.search(r"-e '\.\[([a-z,]+)\]'", install[0]).group(1).split(",")
    assert set(extras) == {"workflow", "exact", "docs", "dev"}
    assert set(extras) <= set(PYPROJECT["project"]["optional-dependencies"])
