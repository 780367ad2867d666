"""axe-core in the browser tests: a page passes when axe finds nothing serious or critical.

axe is injected with Playwright's `page.evaluate`, which runs through the DevTools protocol and
so is not subject to the page's Content-Security-Policy (no `bypass_csp` needed); axe itself
runs no eval. Each run's violations, and what axe could not decide, are kept as JSON under
test-results/accessibility/ for CI.
"""

import json
import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

RESULTS = Path(__file__).resolve().parents[2] / "test-results" / "accessibility"
BLOCKING_IMPACTS = ("serious", "critical")

_axe = Axe()


def blocking_violations(page: Page, name: str) -> list[dict]:
    """Run axe on the page as it is now; the serious and critical violations it found, with
    references to missing ids (see below)."""
    # Result types not listed here come back with one node each: incomplete needs them all.
    response = _axe.run(page, options={"resultTypes": ["violations", "incomplete"]}).response
    violations = response["violations"]
    # What axe could not decide (contrast over an image, say) is kept for a person to look at.
    record = {"url": page.url, "violations": violations, "incomplete": response["incomplete"]}
    RESULTS.mkdir(parents=True, exist_ok=True)
    file_name = re.sub(r"[^\w.-]+", "-", name)
    (RESULTS / f"{file_name}.json").write_text(json.dumps(record, indent=2))
    found = violations + _missing_id_references(response["incomplete"])
    return [v for v in found if v["impact"] in BLOCKING_IMPACTS]


def _missing_id_references(incomplete: list[dict]) -> list[dict]:
    """aria-describedby (and the like) naming an id that is not on the page.

    axe leaves these undecided, as script might add the element later; on a page that has
    settled, the reference is simply broken (an error message no screen reader connects to its
    field, say), so they count as the violation axe would call it.
    """
    broken = []
    for result in incomplete:
        nodes = [
            node
            for node in result["nodes"]
            if any(check.get("data", {}).get("messageKey") == "noId" for check in node["all"])
        ]
        if nodes:
            broken.append({**result, "nodes": nodes})
    return broken


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary", "").strip().splitlines()
            lines.append(f"    at {target}: {summary[-1].strip() if summary else node['html']}")
    return "\n".join(lines)


def assert_no_serious_violations(page: Page, name: str) -> None:
    violations = blocking_violations(page, name)
    assert not violations, (
        f"axe found {len(violations)} serious or critical violation(s) on {name} "
        f"({page.url}):\n{describe(violations)}"
    )
