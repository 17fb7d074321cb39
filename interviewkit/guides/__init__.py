"""Interview guides: the model, the YAML format (loader, validator, JSON Schema) and the
shipped guides.

    from interviewkit.guides import load_guide, check_guide, dump_guide, shipped_guide
    guide = load_guide(shipped_guide("demo"), placeholders={"municipality": "Eksempel kommune"})

The format is described in ``guides/README.md``; its JSON Schema is ``guides/guide.schema.json``.
"""

from interviewkit.guides.dump import dump_guide
from interviewkit.guides.loader import check_guide, load_guide, load_guide_text
from interviewkit.guides.problems import GuideError, GuideProblem, GuideUnreadable
from interviewkit.guides.render import render_guide, summary
from interviewkit.guides.shipped import guides_folder, schema_path, shipped_guide, shipped_guides

__all__ = [
    "GuideError", "GuideProblem", "GuideUnreadable", "check_guide", "dump_guide", "guides_folder",
    "load_guide", "load_guide_text", "render_guide", "schema_path", "shipped_guide", "shipped_guides", "summary",
]
