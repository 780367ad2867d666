"""The account's vocabulary: exposure zones and exemption reasons, cached per connection.

Both lists are the account's own (REFERENCE.md §8): zones are sent by their exact name ("WA" is
refused, "Washington" works) and reason names differ between accounts, so Nuvo maps its reasons
to the account's list, with an admin-editable mapping for names that differ.
"""

from datetime import timedelta

from django.utils import timezone

from certificates.reasons import ExemptionReason
from integrations.avalara import AvaTaxClient
from integrations.models import AvalaraConnection, AvalaraDefinitions, ExemptionReasonMapping
from nuvo.regions import CANADIAN_PROVINCES, region_name

DEFINITIONS_MAX_AGE = timedelta(hours=24)


def definitions_refresh(
    *, connection: AvalaraConnection, client: AvaTaxClient
) -> AvalaraDefinitions:
    """Read both lists from Avalara (every page) and keep them for DEFINITIONS_MAX_AGE."""
    zones = client.list_exposure_zones()
    reasons = client.list_exemption_reasons()
    definitions, _ = AvalaraDefinitions.objects.update_or_create(
        connection=connection,
        defaults={
            "exposure_zones": [
                {"name": zone.name, "region": zone.region, "country": zone.country}
                for zone in zones
            ],
            "exemption_reasons": sorted({reason.name for reason in reasons}),
            "fetched_at": timezone.now(),
        },
    )
    return definitions


def definitions_for(*, connection: AvalaraConnection, client: AvaTaxClient) -> AvalaraDefinitions:
    """The cached lists, read again from Avalara when older than a day (or never read)."""
    cached = AvalaraDefinitions.objects.filter(connection=connection).first()
    if cached is not None and cached.fetched_at > timezone.now() - DEFINITIONS_MAX_AGE:
        return cached
    return definitions_refresh(connection=connection, client=client)


def country_of(region: str) -> str:
    return "CA" if region in CANADIAN_PROVINCES else "US"


def exposure_zone_for(definitions: AvalaraDefinitions, region: str) -> str | None:
    """The zone's exact name for a region; the zone named like the region wins over others."""
    candidates = [
        zone["name"]
        for zone in definitions.exposure_zones
        if zone.get("region") == region and zone.get("country") == country_of(region)
    ]
    if region_name(region) in candidates:
        return region_name(region)
    return candidates[0] if candidates else None


def reason_mappings(*, organization) -> dict[str, str]:
    return dict(
        ExemptionReasonMapping.objects.filter(organization=organization).values_list(
            "nuvo_reason", "avalara_reason"
        )
    )


def account_reason_for(
    definitions: AvalaraDefinitions, nuvo_reason: str, mappings: dict[str, str]
) -> str | None:
    """The account's spelling of the reason (mapped by an admin, else Nuvo's own name), or None."""
    wanted = mappings.get(nuvo_reason, nuvo_reason).casefold()
    for name in definitions.exemption_reasons:
        if name.casefold() == wanted:
            return name
    return None


def unmapped_reasons(
    definitions: AvalaraDefinitions, mappings: dict[str, str]
) -> list[ExemptionReason]:
    """Nuvo's reasons the account does not know under any name yet: the admin's to map."""
    return [
        reason
        for reason in ExemptionReason
        if account_reason_for(definitions, reason.value, mappings) is None
    ]


def reason_mappings_save(*, member, choices: dict[str, str]) -> None:
    """An admin's names for Nuvo's reasons; an empty choice means "the same name"."""
    from nuvo.roles import Role

    member.require(Role.ADMIN)
    for nuvo_reason, avalara_reason in choices.items():
        if avalara_reason:
            ExemptionReasonMapping.objects.update_or_create(
                organization=member.organization,
                nuvo_reason=nuvo_reason,
                defaults={"avalara_reason": avalara_reason, "updated_by": member.user},
            )
        else:
            ExemptionReasonMapping.objects.filter(
                organization=member.organization, nuvo_reason=nuvo_reason
            ).delete()
