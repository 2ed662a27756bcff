# A Simpul Jaringan node: the project installed on Python 3.12, served by
# gunicorn with uvicorn workers (deploy/gunicorn.conf.py), as the benchmark runs it.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PYGEOAPI_CONFIG=/srv/simpul/node/pygeoapi-config.yml \
    PYGEOAPI_OPENAPI=/srv/simpul/node/openapi.yml

RUN useradd --system --uid 10001 --home-dir /srv/simpul simpul

WORKDIR /build
COPY pyproject.toml README.md ./
COPY simpul ./simpul
COPY providers ./providers
RUN pip install . && rm -rf /build

COPY pygeoapi-config.yml /etc/simpul/pygeoapi-config.yml
COPY deploy/gunicorn.conf.py deploy/entrypoint.sh /etc/simpul/

RUN mkdir -p /srv/simpul/node && chown simpul /srv/simpul/node
VOLUME /srv/simpul/node
WORKDIR /srv/simpul/node
USER simpul
EXPOSE 5000

HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:5000/healthz', timeout=4)"]

ENTRYPOINT ["/etc/simpul/entrypoint.sh"]
CMD ["gunicorn", "--config", "/etc/simpul/gunicorn.conf.py", "simpul.server.app:app"]
