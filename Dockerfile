# A runner image for the harness: Debian 12 with Node 20 (Allure 3), Python 3.11 and Debian's Chromium.
#   docker build -t bc-oauth-e2e .
#   docker run --rm bc-oauth-e2e make test            # the harness's own tests against the twins
#   docker run --rm --env-file .env -v "$PWD/reports:/work/reports" bc-oauth-e2e make e2e
FROM node:20-bookworm-slim

RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      python3 python3-venv make chromium libnss3-tools ca-certificates fonts-liberation \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /work
COPY . /work
# The same set-up `make e2e` and `make test` run: venv, the harness, the pinned Allure 3.
RUN make setup && rm -rf reports test-results .sandbox
CMD ["make", "test"]
