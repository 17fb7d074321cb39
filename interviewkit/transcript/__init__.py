"""A session's transcript as the transcriber edits it: segments with speaker, times, text, word
timings and a checked flag, built from the machine transcription of the session's takes and
then corrected by hand (``model``), every edit undoable (``editing``), saved encrypted with a
revision history (``store``), and the project's transcription conventions (``conventions``)."""
