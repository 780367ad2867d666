"""Certificate files kept across a failed submit (certificates.models.PendingUpload).

A form whose file passed intake but whose submit failed (a missing field elsewhere) keeps the
file here; the re-rendered form carries the kept file's key and shows "file.pdf — Change". The
next submit of the same form uses it unless a new file is chosen; a successful one consumes it.
"""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from certificates.models import PendingUpload
from certificates.pdf import ValidatedPdf

logger = logging.getLogger(__name__)

# Long enough to correct a form; a kept file is customer data and should not linger.
MAX_AGE = timedelta(days=1)


def kept_file_owner(scope: str) -> str:
    """Who a kept file belongs to: a hash of the form token or of the link it came through."""
    return hashlib.sha256(scope.encode()).hexdigest()


def pending_upload_find(*, key: str, owner: str) -> PendingUpload | None:
    if not key or not owner:
        return None
    return PendingUpload.objects.filter(
        key=key, owner=owner, created_at__gt=timezone.now() - MAX_AGE
    ).first()


def pending_upload_keep(
    *, owner: str, content: bytes, filename: str, checked: ValidatedPdf
) -> PendingUpload:
    pending = PendingUpload(
        key=secrets.token_urlsafe(32),
        owner=owner,
        original_filename=filename[:255],
        file_size=checked.size,
        page_count=checked.page_count,
        sha256=checked.sha256,
        has_scripts=checked.has_scripts,
    )
    pending.file.save("pending.pdf", ContentFile(content), save=False)
    pending.save()
    return pending


def pending_upload_content(pending: PendingUpload) -> bytes:
    with pending.file.open("rb") as handle:
        return handle.read()


def pending_upload_checked(pending: PendingUpload) -> ValidatedPdf:
    return ValidatedPdf(
        sha256=pending.sha256,
        size=pending.file_size,
        page_count=pending.page_count,
        has_scripts=pending.has_scripts,
    )


def pending_uploads_discard(*, owner: str, keep: set[str] = frozenset()) -> None:
    """Remove the owner's kept files except `keep`: a form holds only what it shows."""
    _delete(PendingUpload.objects.filter(owner=owner).exclude(key__in=keep))


def pending_uploads_consume(*, owner: str) -> None:
    """In a successful submit's transaction: the files are stored as certificates now. The rows
    go with the transaction; their files once it commits (a rollback still needs them)."""
    consumed = list(PendingUpload.objects.filter(owner=owner))
    PendingUpload.objects.filter(pk__in=[pending.pk for pending in consumed]).delete()
    names = [pending.file.name for pending in consumed]
    if names:
        storage = PendingUpload._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])


def pending_uploads_delete_stale() -> int:
    """The periodic cleanup: kept files older than MAX_AGE, of forms never sent."""
    return _delete(PendingUpload.objects.filter(created_at__lte=timezone.now() - MAX_AGE))


def _delete(pending_uploads) -> int:
    count = 0
    for pending in pending_uploads:
        pending.file.delete(save=False)
        pending.delete()
        count += 1
    if count:
        logger.info("deleted %s kept certificate file(s)", count)
    return count
