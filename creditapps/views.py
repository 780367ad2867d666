from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from certificates.forms import CertificateForm
from certificates.selectors import (
    certificate_get,
    certificates_expiring,
    certificates_for_customer,
    customer_has_certificates,
)
from creditapps import selectors, services
from creditapps.approval import approval_options_for
from creditapps.forms import (
    ApplicationFilterForm,
    ApproveForm,
    AssignForm,
    CertificateSettingsForm,
    CustomerForm,
    DeclineForm,
    RequestApprovalForm,
    RequestInfoForm,
)
from creditapps.models import InfoRequest
from creditapps.slots import prepare_applications
from nuvo.errors import NuvoError
from nuvo.roles import Role
from nuvo.web import member_required, paginate, redirect_after_action, render_page


@member_required()
def application_list(request):
    analysts = selectors.organization_users(
        organization=request.member.organization, role=Role.CREDIT_ANALYST
    )
    filter_form = ApplicationFilterForm(request.GET or None, analysts=analysts)
    applications = selectors.application_list(
        member=request.member, filters=filter_form.to_filters()
    )
    page = paginate(request, applications)
    prepare_applications(page.object_list)
    expiring = certificates_expiring(member=request.member)
    return render_page(
        request,
        "creditapps/application_list.html",
        "results",
        {
            "filter_form": filter_form,
            "page": page,
            "query": request.GET.copy(),
            "public_form_url": request.build_absolute_uri(
                request.member.organization.get_public_form_url()
            ),
            "expiring": list(expiring.prefetch_related("renewal_requests")[:5]),
            "expiring_count": expiring.count(),
            "window": request.member.organization.expiry_window_days,
        },
    )


@member_required()
def application_detail(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    analysts = selectors.organization_users(
        organization=request.member.organization, role=Role.CREDIT_ANALYST
    )
    return render(
        request,
        "creditapps/application_detail.html",
        {
            "application": application,
            "customer": application.customer,
            "certificates": certificates_for_customer(customer_id=application.customer_id),
            "timeline": selectors.application_timeline(application=application),
            "trade_references": application.trade_references.all(),
            "open_info_request": selectors.open_info_request(application=application),
            "assign_form": AssignForm(
                analysts=analysts,
                initial={"analyst": str(application.assigned_analyst_id or "")},
            ),
        },
    )


def _run_action(request, action, *, success_message: str, url: str):
    """Call a service; on refusal show why, on success say so; then back to the page."""
    try:
        action()
    except NuvoError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success_message)
    return redirect_after_action(request, url)


def _analyst_button(service, success_message: str):
    """A one-click analyst action on an application (a POST with no form)."""

    @member_required(Role.CREDIT_ANALYST)
    @require_POST
    def view(request, pk):
        application = selectors.application_get(member=request.member, pk=pk)
        return _run_action(
            request,
            lambda: service(member=request.member, application=application),
            success_message=success_message.format(reference=application.reference),
            url=application.get_absolute_url(),
        )

    return view


application_submit = _analyst_button(services.application_submit, "{reference} submitted.")
application_start_review = _analyst_button(
    services.application_start_review, "Review started on {reference}."
)
application_resume_review = _analyst_button(
    services.application_resume_review, "Review resumed on {reference}."
)


@member_required(Role.CREDIT_ANALYST)
@require_POST
def application_assign(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    analysts = selectors.organization_users(
        organization=request.member.organization, role=Role.CREDIT_ANALYST
    )
    form = AssignForm(request.POST, analysts=analysts)
    if not form.is_valid():
        messages.error(request, "Choose an analyst from the list.")
        return redirect_after_action(request, application.get_absolute_url())
    return _run_action(
        request,
        lambda: services.application_assign(
            member=request.member, application=application, analyst=form.selected_analyst()
        ),
        success_message="Assignment updated.",
        url=application.get_absolute_url(),
    )


def _dialog_form_view(request, *, application, form, template, on_valid, success_message):
    """GET shows the form (a dialog via htmx, a page otherwise); a valid POST runs the service."""
    if request.method == "POST" and form.is_valid():
        try:
            on_valid(form.cleaned_data)
        except NuvoError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, success_message)
            return redirect_after_action(request, application.get_absolute_url())
    return render_page(
        request,
        template,
        "dialog",
        {"application": application, "customer": application.customer, "form": form},
    )


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def application_request_info(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    has_certificates = customer_has_certificates(customer_id=application.customer_id)
    initial = {
        "recipient_email": application.customer.email,
        "items": [] if has_certificates else [InfoRequest.Item.TAX_EXEMPTION_CERTIFICATES],
    }
    form = RequestInfoForm(request.POST or None, initial=initial)
    return _dialog_form_view(
        request,
        application=application,
        form=form,
        template="creditapps/request_info.html",
        on_valid=lambda data: services.application_request_info(
            member=request.member,
            application=application,
            items=data["items"],
            message=data["message"],
            recipient_email=data["recipient_email"],
        ),
        success_message="Request sent. The customer received an email with a secure link.",
    )


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def application_request_approval(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    return _dialog_form_view(
        request,
        application=application,
        form=RequestApprovalForm(request.POST or None),
        template="creditapps/request_approval.html",
        on_valid=lambda data: services.application_request_approval(
            member=request.member, application=application, note=data["note"]
        ),
        success_message=f"{application.reference} sent for approval.",
    )


@member_required(Role.APPROVER)
@require_http_methods(["GET", "POST"])
def application_approve(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    options = approval_options_for(member=request.member, application=application)
    form = ApproveForm(
        request.POST or None,
        initial={
            "credit_limit": application.requested_credit_limit,
            "terms": application.requested_terms,
        },
        options=options,
        defaults={option.name: option.default(request.member, application) for option in options},
    )
    return _dialog_form_view(
        request,
        application=application,
        form=form,
        template="creditapps/approve.html",
        on_valid=lambda data: services.application_approve(
            member=request.member,
            application=application,
            credit_limit=data["credit_limit"],
            terms=data["terms"],
            comment=data["comment"],
            options=form.option_choices(),
        ),
        success_message=f"{application.reference} approved.",
    )


@member_required(Role.APPROVER)
@require_http_methods(["GET", "POST"])
def application_decline(request, pk):
    application = selectors.application_get(member=request.member, pk=pk)
    return _dialog_form_view(
        request,
        application=application,
        form=DeclineForm(request.POST or None),
        template="creditapps/decline.html",
        on_valid=lambda data: services.application_decline(
            member=request.member, application=application, comment=data["comment"]
        ),
        success_message=f"{application.reference} declined.",
    )


@member_required()
def customer_list(request):
    search = request.GET.get("q", "").strip()
    page = paginate(request, selectors.customer_list(member=request.member, search=search))
    return render_page(
        request,
        "creditapps/customer_list.html",
        "results",
        {"page": page, "search": search, "query": request.GET.copy()},
    )


@member_required()
def customer_detail(request, pk):
    customer = selectors.customer_get(member=request.member, pk=pk)
    return render(
        request,
        "creditapps/customer_detail.html",
        {
            "customer": customer,
            "certificates": certificates_for_customer(customer_id=customer.pk),
            "applications": customer.credit_applications.select_related("assigned_analyst"),
        },
    )


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def customer_create(request):
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = services.customer_create(member=request.member, **form.cleaned_data)
        messages.success(request, f"{customer.legal_name} added.")
        return redirect(customer)
    return render(request, "creditapps/customer_form.html", {"form": form})


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def customer_edit(request, pk):
    customer = selectors.customer_get(member=request.member, pk=pk)
    form = CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        services.customer_update(member=request.member, customer=customer, **form.cleaned_data)
        messages.success(request, "Customer details saved.")
        return redirect(customer)
    return render(request, "creditapps/customer_form.html", {"form": form, "customer": customer})


@member_required()
def reports(request):
    return render(
        request,
        "creditapps/reports.html",
        {
            "report": selectors.pipeline_report(member=request.member),
            "expiring": certificates_expiring(member=request.member).prefetch_related(
                "renewal_requests"
            )[:100],
            "window": request.member.organization.expiry_window_days,
        },
    )


@member_required(Role.CREDIT_ANALYST)
@require_http_methods(["GET", "POST"])
def certificate_upload(request, pk):
    """The Upload certificate dialog: a certificate for the customer, noted on an application."""
    customer = selectors.customer_get(member=request.member, pk=pk)
    application = selectors.application_for_customer_or_none(
        customer=customer, pk=request.GET.get("application") or request.POST.get("application")
    )
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_upload_by_staff(
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
        "creditapps/certificate_upload.html",
        "dialog",
        {"customer": customer, "application": application, "form": form},
    )


@member_required(Role.CREDIT_ANALYST)
@require_POST
def certificate_request_renewal(request, pk):
    """One click: ask the customer for a renewed certificate, the expiring one named."""
    certificate = certificate_get(member=request.member, pk=pk)
    try:
        info_request = services.certificate_renewal_request(
            member=request.member, certificate=certificate
        )
    except NuvoError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Renewal of {certificate.display_name} requested from {info_request.recipient_email}.",
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = certificate.customer.get_absolute_url()
    return redirect_after_action(request, back)


@member_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def certificate_settings(request):
    """Settings > Certificates: the expiry window, and automatic renewal requests."""
    form = CertificateSettingsForm(request.POST or None, instance=request.member.organization)
    if request.method == "POST" and form.is_valid():
        services.organization_certificate_settings_update(
            member=request.member, **form.cleaned_data
        )
        messages.success(request, "Certificate settings saved.")
        return redirect("creditapps:certificate-settings")
    return render(request, "creditapps/certificate_settings.html", {"form": form})
