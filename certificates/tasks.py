from celery import shared_task

from certificates.kept_files import pending_uploads_delete_stale


# Deleting files is quick; a few minutes covers a backlog on slow storage.
@shared_task(ignore_result=True, soft_time_limit=240, time_limit=300)
def delete_stale_pending_uploads() -> None:
    """Hourly: kept certificate files of forms never sent again, once older than a day."""
    pending_uploads_delete_stale()
