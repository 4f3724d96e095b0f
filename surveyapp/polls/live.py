"""Live updates of a poll's aggregate to presenters (Server-Sent Events), coalesced to at most 4 pushes a second."""


def announce(poll_id: int) -> None:
    """Tell the presenters of a poll that its aggregate changed; call after the change is committed."""
