"""The interview guides shipped with interviewkit (YAML), their JSON Schema and README.

Installed, this folder is the package ``interviewkit.shipped_guides`` (see pyproject.toml);
find the files with ``interviewkit.guides.shipped_guides()``.  This file only makes the
folder importable as that package.
"""
