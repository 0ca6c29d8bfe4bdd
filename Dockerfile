# syntax=docker/dockerfile:1
# Build stage: a static binary.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=docker
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X taskrunner/bootstrap.Version=${VERSION}" \
    -o /out/taskrunner ./cmd/taskrunner

# Run stage: small, with curl so users can reach the unpublished API with
# `docker compose exec -T api curl ...`, and CA certificates for Brave and Exa.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 taskrunner
COPY --from=build /out/taskrunner /usr/local/bin/taskrunner
USER taskrunner
ENV HTTP_ADDR=127.0.0.1:8000
ENTRYPOINT ["taskrunner"]
CMD ["api"]
