from django.db import migrations, models

# A frozen copy of certificates.services.certificate_default_name as it was when names came in,
# so this migration means the same thing however the service changes later.
NAMED_REGIONS_MAX = 3


def default_name(exempt_regions, exemption_reason):
    from certificates.reasons import ExemptionReason
    from nuvo.regions import region_name

    codes = sorted(set(exempt_regions or []))
    if len(codes) > NAMED_REGIONS_MAX:
        regions = "Multi-state"
    else:
        regions = ", ".join(region_name(code) for code in codes)
    try:
        label = ExemptionReason(exemption_reason).label
    except ValueError:
        label = exemption_reason or "exemption"
    reason = label.split(" · ", 1)[-1]
    reason = reason[:1].lower() + reason[1:]
    name = " ".join(part for part in (regions, reason, "certificate") if part)
    return (name[:1].upper() + name[1:])[:150]


def name_existing_certificates(apps, schema_editor):
    Certificate = apps.get_model("certificates", "TaxExemptionCertificate")
    for certificate in Certificate.objects.filter(name="").only(
        "pk", "exempt_regions", "exemption_reason"
    ).iterator():
        Certificate.objects.filter(pk=certificate.pk).update(
            name=default_name(certificate.exempt_regions, certificate.exemption_reason)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0004_merge_0003_certificate_has_scripts_0003_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="taxexemptioncertificate",
            name="name",
            field=models.CharField(
                blank=True,
                help_text="What staff call it, e.g. 'Texas resale certificate'.",
                max_length=150,
            ),
        ),
        migrations.RunPython(name_existing_certificates, migrations.RunPython.noop),
    ]
