# rsc-mock: LinkedIn RSC / Middleware Platform emulator
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    RSC_MOCK_HOST=0.0.0.0 \
    RSC_MOCK_PORT=8080 \
    RSC_MOCK_DATA_DIR=/data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY mock_server ./mock_server
COPY fixtures ./fixtures
COPY examples ./examples
RUN pip install --no-cache-dir . \
    && useradd --create-home --uid 10001 rsc \
    && mkdir -p /data \
    && chown rsc:rsc /data

USER 10001
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/_mock/health', timeout=2).status == 200 else 1)"]
CMD ["rsc-mock", "serve", "--host", "0.0.0.0", "--port", "8080", "--data-dir", "/data"]
