"""kill -9 of a writer at random moments leaves a project that opens and verifies."""

import random
import subprocess
import sys
import time

from interviewkit.project import Credentials, Project
from tests.conftest import PASSPHRASE

WRITER = """
import sys
from interviewkit import consent, sessions
from interviewkit.project import Credentials, Project
project = Project.open(sys.argv[1], Credentials(passphrase=sys.argv[2]))
print("open", flush=True)
n = 0
while True:
    n += 1
    sessions.add_session(project, f"K{n:05d}")
    consent.add_participant(project, f"P{n:05d}", "Navn Navnesen", consent_items=["all"], sessions=[f"K{n:05d}"])
"""


def test_kill_9_midway_leaves_last_good_state(project_dir):
    rng = random.Random(7)
    for _ in range(5):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(project_dir), PASSPHRASE],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "open"
        time.sleep(rng.uniform(0.2, 1.5))
        writer.kill()
        writer.wait()
        project = Project.open(project_dir, Credentials(passphrase=PASSPHRASE))
        entries, problems = project.verify_audit()
        assert problems == []
        # Every session the index knows is logged; the log may be one change ahead of the index.
        assert len(entries) - 1 - 2 * len(project.index.participants) in (0, 1, 2)
        assert len(project.linkage().entries) >= len(project.index.participants)
    assert len(project.index.sessions) > 0
