from functools import cached_property

from creditapps.approval_queue import needs_my_approval_count


class ApprovalQueue:
    """The approver's "Needs my approval (N)": counted once, and only if a template shows it."""

    def __init__(self, member) -> None:
        self.member = member

    @cached_property
    def count(self) -> int:
        return needs_my_approval_count(member=self.member)


def approval_queue(request) -> dict:
    member = getattr(request, "member", None)
    return {"approval_queue": ApprovalQueue(member) if member and member.is_approver else None}
