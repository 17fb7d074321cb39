"""Media-file headers, as patterns specific enough not to turn up by chance in ciphertext
(a bare three-byte ``ID3`` appears in a megabyte of random bytes about once in sixteen)."""

import re

MEDIA_HEADERS = [re.compile(rb"RIFF.{4}WAVE", re.DOTALL), re.compile(rb"ID3[\x02-\x04]\x00"),
                 re.compile(rb"ftyp[ -~]{4}"), re.compile(rb"OggS\x00"), re.compile(rb"fLaC\x00\x00\x00\x22")]
