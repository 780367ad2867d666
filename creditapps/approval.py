"""Options offered while approving, added by higher apps (integrations' Send Customer to Avalara).

An option is a yes/no choice in the Approve dialog. It decides when it is offered and its default,
may describe what was true at decision time (kept on the timeline with the approval), and acts
after the approval has committed, never inside its transaction.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from creditapps.models import CreditApplication
from nuvo.roles import Member


@dataclass(frozen=True)
class ApprovalOption:
    name: str
    label: str
    offered: Callable[[Member, CreditApplication], bool]
    default: Callable[[Member, CreditApplication], bool]
    after_approval: Callable[["ApprovalDecision"], None]
    snapshot: Callable[["ApprovalDecision"], str] = lambda decision: ""
    help_text: str = ""


@dataclass(frozen=True)
class ApprovalDecision:
    option: ApprovalOption
    member: Member
    application: CreditApplication
    chosen: bool


_options: dict[str, ApprovalOption] = {}


def register_approval_option(option: ApprovalOption) -> None:
    _options[option.name] = option


def unregister_approval_option(name: str) -> None:
    _options.pop(name, None)


def approval_options_for(*, member: Member, application: CreditApplication) -> list[ApprovalOption]:
    return [option for option in _options.values() if option.offered(member, application)]


def chosen_options(
    *, member: Member, application: CreditApplication, choices: Mapping[str, bool]
) -> list[ApprovalDecision]:
    """The decision on every option offered now; one not offered is ignored, not trusted."""
    return [
        ApprovalDecision(
            option=option,
            member=member,
            application=application,
            chosen=bool(choices.get(option.name)),
        )
        for option in approval_options_for(member=member, application=application)
    ]
