"""Audio: record encrypted from the first byte, import files, read for transcription, play back."""
