"""What the panel announces to the packages built on it, which participants must not import.

Waves listens (waves/service.py): it plans invitations when participants join, and cancels pending ones when a
participant stops contact. Receivers run in the sender's transaction; the sender's caller commits.
"""
from blinker import Namespace

_signals = Namespace()

#: sender: the programme id whose panel gained participants
joined = _signals.signal("participants-joined")
#: sender: the list of participant ids who are no longer contacted; keyword `now`
contact_stopped = _signals.signal("participants-contact-stopped")
