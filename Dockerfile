# tokend image: build and test in a full Debian 12, ship the binary on debian:12-slim.
# Build: docker build -t tokend .     Run: docker run -p 8080:8080 -v tokend-data:/data tokend

FROM debian:12 AS build
# Packages first, from the one list in scripts/deps.sh, so source edits keep this layer cached.
COPY scripts/deps.sh /usr/local/bin/tokend-deps
RUN bash /usr/local/bin/tokend-deps build && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# The tests run here, so a broken build or a failing test never yields an image. One of them
# holds 1,200 connections and needs a hard RLIMIT_NOFILE above 1,300: Docker's build steps have
# that; buildah's need `--ulimit nofile=N:N` (scripts/extra-tests.d/40-docker passes it).
# The PostgreSQL runs (label postgres, MultiNode) need a PostgreSQL server, which this stage
# does not install; scripts/test.sh runs them.
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release \
 && cmake --build build -j"$(nproc)" \
 && ctest --test-dir build --output-on-failure -j"$(nproc)" -LE postgres -E MultiNode \
 && strip build/tokend

FROM debian:12-slim
COPY scripts/deps.sh /usr/local/bin/tokend-deps
RUN bash /usr/local/bin/tokend-deps runtime \
 && rm -rf /var/lib/apt/lists/* /usr/local/bin/tokend-deps \
 && groupadd --gid 10001 tokend \
 && useradd --uid 10001 --gid tokend --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin tokend \
 && install -d -m 0700 -o tokend -g tokend /data
COPY --from=build /src/build/tokend /usr/local/bin/tokend
ENV TOKEND_LISTEN=0.0.0.0:8080 TOKEND_DATA_DIR=/data
VOLUME /data
EXPOSE 8080
# Asks the port of TOKEND_LISTEN, so a changed listen address keeps the health check right.
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s \
    CMD curl -fsS "http://127.0.0.1:${TOKEND_LISTEN##*:}/healthz" || exit 1
USER tokend
ENTRYPOINT ["tokend"]
CMD ["serve"]
