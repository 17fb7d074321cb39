"""The shipped guides and samples travel with the package: pyproject.toml lists every package
folder, and maps interviewkit.shipped_guides to guides/ and interviewkit.samples to samples/."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_pyproject_lists_every_package_and_maps_the_guides():
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(config["packages"])
    on_disk = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "interviewkit").rglob("__init__.py")}
    assert on_disk - listed == set(), "add these packages to [tool.setuptools] packages in pyproject.toml"
    assert listed - on_disk == {"interviewkit.shipped_guides", "interviewkit.samples"}
    assert config["package-dir"] == {"interviewkit.shipped_guides": "guides", "interviewkit.samples": "samples"}
    assert set(config["package-data"]["interviewkit.samples"]) >= {"*.ogg", "*.txt", "*.json"}
    assert (REPO / "samples" / "__init__.py").is_file()
    assert set(config["package-data"]["interviewkit.shipped_guides"]) >= {"*.yaml", "*.json", "*.md"}
    assert (REPO / "guides" / "__init__.py").is_file()
