"""Cassettes of a real API: the file format, secret scrubbing, the vcrpy glue and the audit."""
