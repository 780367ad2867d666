from django.contrib import messages
from django.http import FileResponse, Http404
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from certificates import selectors
from certificates.forms import CertificateForm
from certificates.services import certificate_upload_by_staff
from creditapps.roles import Role
from creditapps.selectors import application_for_customer, customer_get
from nuvo.errors import NuvoError
from nuvo.web import member_required, redirect_after_action, render_page


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def certificate_upload(request, customer_pk):
    customer = customer_get(member=request.member, pk=customer_pk)
    application = None
    application_pk = request.GET.get("application") or request.POST.get("application")
    if application_pk and str(application_pk).isdigit():
        application = application_for_customer(customer=customer, pk=application_pk)
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = certificate_upload_by_staff(
                member=request.member,
                customer=customer,
                upload=form.to_upload(),
                application=application,
            )
        except NuvoError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"{certificate.display_name} added to {customer.legal_name}.")
            return redirect_after_action(
                request,
                application.get_absolute_url() if application else customer.get_absolute_url(),
            )
    return render_page(
        request,
        "certificates/upload.html",
        "dialog",
        {"customer": customer, "application": application, "form": form},
    )


@member_required()
def certificate_preview(request, pk):
    """The preview dialog (or page): the PDF framed in Nuvo, with Download."""
    certificate = selectors.certificate_get(member=request.member, pk=pk)
    return render_page(
        request,
        "certificates/preview.html",
        "dialog",
        {"certificate": certificate},
    )


@xframe_options_sameorigin
@member_required()
def certificate_file(request, pk):
    certificate = selectors.certificate_get(member=request.member, pk=pk)
    as_attachment = request.GET.get("download") == "1"
    return pdf_response(certificate, as_attachment=as_attachment)


def pdf_response(certificate, *, as_attachment: bool) -> FileResponse:
    try:
        handle = certificate.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The certificate file is missing from storage.") from exc
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=f"{certificate.display_name}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # The PDF is shown only inside our own preview dialog.
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response
