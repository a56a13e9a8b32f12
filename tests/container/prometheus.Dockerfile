# Prometheus from Debian 12's own package, for tests/container/compose_test.sh: the stand-in for
# deploy/compose.yaml's prom/prometheus image, which cannot be pulled here. Same entry point and
# data folder as that image, so the compose file's command and volumes apply unchanged.
ARG BASE
FROM ${BASE}
RUN apt-get update -q \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus \
 && rm -rf /var/lib/apt/lists/* \
 && install -d -o prometheus -g prometheus /prometheus
USER prometheus
ENTRYPOINT ["/usr/bin/prometheus"]
