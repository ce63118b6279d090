# syntax=docker/dockerfile:1
#
# Mynaguard in a container: SMTP on 2525, /metrics /healthz /readyz on 8025.
#
#   docker build -t mynaguard .
#   docker run -d --name mynaguard -p 2525:2525 -p 127.0.0.1:8025:8025 \
#     -v mynaguard-data:/var/lib/mynaguard -v /srv/mynaguard/etc:/etc/mynaguard mynaguard
#
# Not exercised on the project's development machines (they run no Docker daemon and pull no
# base image); it is kept minimal and conventional. See README.md, "Packaging".

# ---- build: the shaded jar, tests skipped (CI runs them) -------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY policy policy
COPY certs certs
COPY proxy proxy
# The Maven cache survives between builds (BuildKit), so only changed modules download anything.
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests -pl proxy -am package

# ---- runtime: JRE only, unprivileged user ------------------------------------------------------
FROM eclipse-temurin:17-jre
# A fixed uid/gid so volume ownership is predictable on the host.
RUN groupadd --system --gid 10001 mynaguard \
 && useradd --system --uid 10001 --gid mynaguard --home-dir /var/lib/mynaguard --shell /usr/sbin/nologin mynaguard \
 && mkdir -p /opt/mynaguard /etc/mynaguard/certs /var/lib/mynaguard \
 && chown mynaguard:mynaguard /var/lib/mynaguard && chmod 0700 /var/lib/mynaguard
COPY --from=build /src/proxy/target/mynaguard.jar /opt/mynaguard/mynaguard.jar
# Starting configuration; mount your own /etc/mynaguard to replace it.
COPY packaging/docker/gateway.yaml /etc/mynaguard/gateway.yaml
COPY examples/policy.yaml examples/users.yaml examples/policy.schema.json /etc/mynaguard/

USER mynaguard
WORKDIR /var/lib/mynaguard
# Configuration (gateway.yaml, the policy), the data (held mail, master.key, the local CA: back
# it up), and the admin's own TLS certificates.
VOLUME ["/etc/mynaguard", "/var/lib/mynaguard", "/etc/mynaguard/certs"]
# 2525 SMTP for mail clients; 8025 metrics and health (publish it to the monitoring network only).
EXPOSE 2525 8025
# Orchestrators probe /healthz (liveness) and /readyz (readiness) on 8025; the JRE image has no
# HTTP client to run a HEALTHCHECK with, and one is not added just for that.
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75", "-jar", "/opt/mynaguard/mynaguard.jar"]
CMD ["serve", "--config", "/etc/mynaguard/gateway.yaml"]
