"""Google sync: from a push notification to an answer on the calendar, exactly once.

``service.sync_account`` lists what changed since the stored sync token, screens it with
the same engine as ``screen``, writes each decision to the decision log, then carries it
out per the account's mode. Re-screening after an organizer's change withdraws a decline
that no longer applies.
"""

from __future__ import annotations
