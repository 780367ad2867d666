from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from integrations.fields import EncryptedTextField, SecretUnreadable


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the newest key in NUVO_ENCRYPTION_KEYS. "
        "Put the new key first, keep the old ones until this has run, then drop them."
    )

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            fields = [f.name for f in model._meta.get_fields() if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            count = 0
            with transaction.atomic():
                primary_keys = list(
                    model.objects.select_for_update().order_by("pk").values_list("pk", flat=True)
                )
                for pk in primary_keys:
                    try:
                        row = model.objects.only("pk", *fields).get(pk=pk)
                        values = {name: getattr(row, name) for name in fields}
                    except SecretUnreadable as exc:
                        raise CommandError(
                            f"{model._meta.label} #{pk} cannot be decrypted with any configured "
                            "key; nothing was changed. Add the key it was encrypted with."
                        ) from exc
                    # Saving encrypts with the first (newest) key.
                    model.objects.filter(pk=pk).update(**values)
                    count += 1
            self.stdout.write(f"{model._meta.label}: {count} row(s) re-encrypted.")
            total += count
        self.stdout.write(self.style.SUCCESS(f"Done: {total} row(s) re-encrypted."))
