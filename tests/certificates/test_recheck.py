from io import StringIO

from django.core.files.base import ContentFile
from django.core.management import call_command

from certificates.models import TaxExemptionCertificate
from certificates.services import certificate_create
from tests.creditapps.test_services import certificate_upload
from tests.pdf_factory import make_fillable_form, make_pdf, make_pdf_with_launch


def stored(customer, content: bytes, name: str) -> TaxExemptionCertificate:
    """A certificate stored before today's checks: its row says nothing about scripts."""
    certificate = certificate_create(
        customer=customer,
        upload=certificate_upload(make_pdf(text=name), filename=name),
        source=TaxExemptionCertificate.Source.STAFF_UPLOAD,
    )
    certificate.file.save("old.pdf", ContentFile(content), save=True)
    return certificate


def test_recheck_marks_old_forms_with_scripts_and_lists_what_would_be_refused(customer):
    form = stored(customer, make_fillable_form(), "form.pdf")
    launch = stored(customer, make_pdf_with_launch(), "launch.pdf")
    plain = stored(customer, make_pdf(text="plain"), "plain.pdf")
    out = StringIO()

    call_command("recheck_certificate_pdfs", stdout=out)

    assert [
        TaxExemptionCertificate.objects.get(pk=c.pk).has_scripts for c in (form, launch, plain)
    ] == [True, False, False]
    assert out.getvalue().splitlines() == [
        f"certificate {launch.pk} (organization {customer.organization_id}, "
        f"customer {customer.pk}) would now be refused: launch",
        "3 certificate(s) checked, 1 with form scripts.",
    ]
    assert TaxExemptionCertificate.objects.count() == 3
