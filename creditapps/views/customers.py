"""Customers, and Reports."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from certificates.selectors import (
    certificates_for_customer,
)
from creditapps import selectors, services
from creditapps.forms import (
    CustomerForm,
)
from nuvo.form_tokens import (
    FIELD,
    FormAlreadySent,
    FormTokenInvalid,
    already_sent_response,
    form_token_for,
    submit_once,
)
from nuvo.roles import RECORD_EDITORS, Role
from nuvo.web import member_required, paginate, render_page, safe_next


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
    purpose = f"customer-create:{request.member.organization.pk}"
    form = CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submit_once(request.POST.get(FIELD), purpose=purpose) as submission:
                customer = services.customer_create(member=request.member, **form.cleaned_data)
                submission.result_url = customer.get_absolute_url()
        except FormAlreadySent as sent:
            return already_sent_response(
                request, sent, fallback=reverse("creditapps:customer-list")
            )
        except FormTokenInvalid as invalid:
            form.add_error(None, invalid.message)
        else:
            messages.success(request, f"{customer.legal_name} added.")
            return redirect(customer)
    return render(
        request,
        "creditapps/customer_form.html",
        {"form": form, "form_token": form_token_for(request, purpose)},
    )


@member_required(*RECORD_EDITORS)
@require_http_methods(["GET", "POST"])
def customer_edit(request, pk):
    """Edit the customer; `?focus=field` opens at that field (the fix a check points to)."""
    customer = selectors.customer_get(member=request.member, pk=pk)
    form = CustomerForm(request.POST or None, instance=customer)
    focus = request.GET.get("focus", "")
    if focus in form.fields:
        form.fields[focus].widget.attrs["autofocus"] = True
    if request.method == "POST" and form.is_valid():
        services.customer_update(member=request.member, customer=customer, **form.cleaned_data)
        messages.success(request, "Customer details saved.")
        return redirect(safe_next(request, customer.get_absolute_url()))
    return render(
        request,
        "creditapps/customer_form.html",
        {"form": form, "customer": customer, "next": safe_next(request, "")},
    )


@member_required()
def reports(request):
    return render(
        request,
        "creditapps/reports.html",
        {
            "report": selectors.pipeline_report(member=request.member),
            "expiry": selectors.certificates_by_expiry(member=request.member, limit=100),
        },
    )
