"""The data steward's desk: an archive is a folder of projects.  ``discovery`` finds and opens
them (one unreadable project never stops the rest); ``status``, ``verify``, ``retention``,
``rekey`` and ``report`` each answer one of the steward's questions."""
