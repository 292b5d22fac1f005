# rsc-mock: LinkedIn RSC / Middleware Platform emulator.
# Two stages: "build" makes the wheel once and installs it into a virtual environment; the image copies only that
# environment, so no source tree, build tool or pip cache ends up in it. PYTHON_IMAGE lets a machine that cannot
# pull from a registry build on a base image of its own (tests/test_container.py does).
ARG PYTHON_IMAGE=python:3.11-slim

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY mock_server ./mock_server
COPY fixtures ./fixtures
COPY examples ./examples
RUN python -m venv /opt/rsc-mock \
    && /opt/rsc-mock/bin/pip wheel --no-deps --wheel-dir /wheels . \
    && /opt/rsc-mock/bin/pip install /wheels/rsc_mock-*.whl

FROM ${PYTHON_IMAGE}
ENV PATH=/opt/rsc-mock/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    RSC_MOCK_HOST=0.0.0.0 \
    RSC_MOCK_PORT=8080 \
    RSC_MOCK_DATA_DIR=/data
COPY --from=build /opt/rsc-mock /opt/rsc-mock
RUN useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin rsc \
    && mkdir /data \
    && chown rsc:rsc /data

USER 10001
VOLUME ["/data"]
EXPOSE 8080
# The port comes from the environment, as `rsc-mock serve` takes it: `-e RSC_MOCK_PORT=9000` moves both.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; url = 'http://127.0.0.1:%s/_mock/health' % os.environ.get('RSC_MOCK_PORT', '8080'); sys.exit(0 if urllib.request.urlopen(url, timeout=2).status == 200 else 1)"]
CMD ["rsc-mock", "serve"]
