"""Pre-send checks: what CertCapture would refuse, found before any call to Avalara.

One rule per error of "Fix CertCapture API errors" (shared/seeds/certcapture-api-errors.txt),
each with CertCapture's message verbatim, what it means, and the Nuvo field that fixes it.
"""

from integrations.checks.problems import Problem, SendCheck
from integrations.checks.run import check_certificate, check_customer, check_send

__all__ = ["Problem", "SendCheck", "check_certificate", "check_customer", "check_send"]
