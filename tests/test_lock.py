"""uv.lock is the only source of installed versions, and it matches pyproject.toml."""

import shutil
import subprocess
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tests.conftest import IN_CI, ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LOCK = tomllib.loads((ROOT / "uv.lock").read_text())
PACKAGES = {package["name"]: package for package in LOCK["package"]}
PROJECT = PACKAGES[PYPROJECT["project"]["name"]]


def declared(requirements: list[str]) -> dict[str, tuple]:
    parsed = [Requirement(line) for line in requirements]
    return {canonicalize_name(req.name): (req.specifier, frozenset(req.extras)) for req in parsed}


def locked(requirements: list[dict]) -> dict[str, tuple]:
    return {
        req["name"]: (SpecifierSet(req.get("specifier", "")), frozenset(req.get("extras", [])))
        for req in requirements
    }


def test_the_lock_records_the_dependencies_pyproject_declares():
    assert locked(PROJECT["metadata"]["requires-dist"]) == declared(
        PYPROJECT["project"]["dependencies"]
    ), "pyproject.toml changed without `make lock`"
    groups = PYPROJECT["dependency-groups"]
    assert set(PROJECT["metadata"]["requires-dev"]) == set(groups)
    for group, requirements in groups.items():
        assert locked(PROJECT["metadata"]["requires-dev"][group]) == declared(requirements), group


def test_every_direct_dependency_is_locked_at_a_version_pyproject_allows():
    requirements = PYPROJECT["project"]["dependencies"] + [
        line for lines in PYPROJECT["dependency-groups"].values() for line in lines
    ]
    for line in requirements:
        requirement = Requirement(line)
        package = PACKAGES[canonicalize_name(requirement.name)]
        assert requirement.specifier.contains(package["version"]), (line, package["version"])


def test_every_locked_package_is_pinned_by_hash():
    for name, package in PACKAGES.items():
        if "virtual" in package["source"]:
            continue
        files = package.get("wheels", []) + ([package["sdist"]] if "sdist" in package else [])
        assert files, name
        assert all(file["hash"].startswith("sha256:") for file in files), name


def test_the_installed_versions_are_the_locked_ones():
    for name, package in PACKAGES.items():
        if "virtual" in package["source"]:
            continue
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            # Packages for other platforms or Pythons (markers) are in the lock but not here.
            continue
        assert installed == package["version"], name


def test_uv_agrees_that_the_lock_is_current():
    uv = ROOT / ".tools" / "bin" / "uv"
    if not uv.exists():
        uv = shutil.which("uv")
    if uv is None:
        if IN_CI:
            pytest.fail("uv is missing: `make install` puts it in .tools/")
        pytest.skip("uv is not installed")
    result = subprocess.run(
        [str(uv), "lock", "--check", "--offline", "--directory", str(ROOT)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
