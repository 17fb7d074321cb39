import sys

from interviewkit.cli import main

sys.exit(main())
