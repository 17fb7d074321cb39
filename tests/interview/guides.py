"""Guides built in code (the model is the contract; no YAML needed)."""

from __future__ import annotations

from interviewkit.guides.model import Guide, GuideInfo, Question, Section, Wording


def q(qid: str, text: str, priority: str = "should", probes: tuple[str, ...] = (), group: str | None = None,
      condition: str | None = None, note: str | None = None) -> Question:
    return Question(id=qid, text=Wording(text, group), probes=[Wording(p) for p in probes], priority=priority,
                    condition=condition, note=note)


def sample_guide() -> Guide:
    """Three themes with budgets (5 + 10 + 5 = 20 min) and a closing round without one."""
    return Guide(
        info=GuideInfo(title="Young people and municipal services", language="en", version="2", audience="both"),
        introduction=Wording("Thank you for taking part."),
        sections=[
            Section(id="about", title=Wording("About you"), budget_minutes=5, questions=[
                q("background", "Tell me a little about yourself.", "must", probes=("School?", "Work?")),
                q("spare-time", "What do you do in your spare time?", "optional"),
            ]),
            Section(id="services", title=Wording("Services in {municipality}"), budget_minutes=10, questions=[
                q("known", "Which services in {municipality} do you know of?", "must",
                  group="Which services in {municipality} do you all know of?",
                  probes=("The school nurse?", "The youth club?"), note="Do not name services first."),
                q("used", "Have you used any of them?", "must", condition="if the participant knows a service"),
                q("info", "Where did you hear about them?", "should"),
            ]),
            Section(id="future", title=Wording("The future"), budget_minutes=5, questions=[
                q("decide", "If you could decide, what would you change?", "must"),
                q("advice", "What advice would you give the municipality?", "optional"),
            ]),
            Section(id="closing", title=Wording("Closing"), kind="closing", questions=[
                q("anything", "Is there anything we have not talked about?", "must"),
            ]),
        ],
    )
