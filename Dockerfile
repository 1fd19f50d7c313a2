# syntax=docker/dockerfile:1.7
# Plumb in a container: compiled in a pinned Rust image, run from a distroless image (glibc, CA
# certificates, no shell, no package manager) as a non-root user. The binary embeds the
# baseline rules; they are also copied to /usr/share/plumb/rules (to read, or to start your own
# `--rules` from). Nothing secret is in the image: AWS credentials, webhook URLs and tokens are
# passed at run time. docs/ci.md has the build and run commands.
#
#   docker build --build-arg PLUMB_COMMIT="$(git rev-parse --short=12 HEAD)" -t plumb:0.1.0 .
#   docker run --rm -v "$PWD:/work" -e AWS_REGION -e AWS_ACCESS_KEY_ID -e AWS_SECRET_ACCESS_KEY \
#     -e AWS_SESSION_TOKEN plumb:0.1.0 scan --state /work/terraform.tfstate
#
# Base images: the build image by exact version, the runtime image by digest (what ships is
# exactly what was reviewed). Update the digest with
# `docker buildx imagetools inspect gcr.io/distroless/cc-debian12:nonroot`.
ARG RUST_IMAGE=rust:1.95.0-slim-bookworm
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot@sha256:9dac0a79194e45a7da0158a9c6da57b217585af0786db3845d1f0ec1a0dd182f

FROM ${RUST_IMAGE} AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
COPY rules ./rules
COPY benches ./benches
# .git is not in the build context: the commit `plumb --version` prints comes from here.
ARG PLUMB_COMMIT=unknown
# Cache mounts keep the registry and the compiled dependencies between builds (the AWS SDK takes
# most of the first build's half hour).
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    PLUMB_COMMIT="${PLUMB_COMMIT}" cargo build --release --locked --bin plumb \
    && install -D -m 0755 target/release/plumb /out/plumb \
    && strip /out/plumb \
    && /out/plumb --version

FROM ${RUNTIME_IMAGE} AS runtime
LABEL org.opencontainers.image.title="plumb" \
      org.opencontainers.image.description="Drift, hardening and attribution for Terraform-managed AWS"
COPY --from=build /out/plumb /usr/local/bin/plumb
COPY --from=build /src/rules /usr/share/plumb/rules
# distroless's `nonroot` user, by number so that `runAsNonRoot` policies can check it.
USER 65532:65532
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/plumb"]
CMD ["--help"]
