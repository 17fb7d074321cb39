"""Local Whisper transcription: engines behind one interface (``engines``), models found by name
or path with embedded offline defaults (``models``), speech detection (``vad``), chunking at quiet
moments (``chunking``), quality guards (``quality``), resumable batch jobs on a session's
encrypted audio (``job``), live transcription while recording (``live``), and an engine in a
worker process for the TUI (``worker``).  Audio is decoded into memory only."""
