# Coproduce in a container: `docker compose up` runs PostgreSQL, the release step, web and worker.
# Two stages: the first installs the pinned dependencies into a virtual environment, the second
# copies only that and the app onto a slim image and runs it as a user without privileges.

FROM python:3.12-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/coproduce
WORKDIR /src
COPY requirements.txt ./
# Everything but the app's own line first, so this layer is cached across code changes.
RUN grep -v '^\.$' requirements.txt > pinned.txt \
    && /opt/coproduce/bin/pip install -r pinned.txt
COPY pyproject.toml README.md ./
COPY adapters ./adapters
COPY bot ./bot
COPY storage ./storage
RUN /opt/coproduce/bin/pip install --no-deps .

FROM python:3.12-slim-bookworm
ENV PATH=/opt/coproduce/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PORT=3978 \
    HOST=0.0.0.0
RUN useradd --system --uid 10001 --home-dir /data --create-home coproduce
COPY --from=build /opt/coproduce /opt/coproduce
USER coproduce
WORKDIR /data
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ.get('PORT', '3978')}/healthz\", timeout=4)"]
CMD ["coproduce", "serve"]
