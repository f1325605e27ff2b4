# The production image: one image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PORT=8000

RUN useradd --create-home --uid 1000 app
WORKDIR /app

# Dependencies first, so code changes do not reinstall them: exactly the versions and hashes in
# uv.lock (the site's own, without the test and benchmark groups), uv itself pinned by hash.
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    UV_COMPILE_BYTECODE=1 \
    PATH=/opt/venv/bin:$PATH
COPY requirements/uv.txt requirements/uv.txt
RUN pip install --require-hashes -r requirements/uv.txt
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-default-groups --no-cache

COPY --chown=app:app . .
RUN bin/build-static && mkdir -p /app/media && chown app:app /app/media

USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/healthz/', timeout=4)"
CMD ["bin/start-web"]
