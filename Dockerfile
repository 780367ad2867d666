FROM python:3.11-slim-bookworm

# Production by default: started without DJANGO_SECRET_KEY and NUVO_ENCRYPTION_KEYS, the settings
# refuse to load (ImproperlyConfigured) instead of running DEBUG on the public local-only keys.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=0

RUN useradd --create-home --uid 1000 nuvo
WORKDIR /app

COPY pyproject.toml README.md ./
COPY nuvo ./nuvo
COPY creditapps ./creditapps
COPY certificates ./certificates
COPY integrations ./integrations
RUN pip install .

COPY manage.py ./
COPY templates ./templates
COPY static ./static
# collectstatic needs settings that load; these values exist only during the build.
RUN DJANGO_SECRET_KEY=build-only NUVO_ENCRYPTION_KEYS=YnVpbGQtb25seS1rZXktMzItYnl0ZXMtbG9uZy0xMjM= \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown nuvo:nuvo /app/media

USER nuvo
EXPOSE 8000
CMD ["gunicorn", "nuvo.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
