# syntax=docker/dockerfile:1
#
# rds-backup-bot image:  docker build -t rds-backup-bot .
# Run it as README.md says ("Running with Docker"); configuration comes from the environment only.
#
# Node.js 22 LTS on Debian bookworm, slim. Node 20 reaches end of life in April 2026; 22 is an LTS
# line supported to April 2027, and better-sqlite3 12 ships prebuilt binaries for it.
# test/deploy/dockerfile.test.ts replays these steps (there is no Docker engine in CI): keep the
# RUN lines to npm commands and the system steps it knows, and COPY only plain paths.

# ── toolchain: better-sqlite3 is a native module. npm fetches a prebuilt binary when one matches
#    and compiles it with these tools when none does, so both npm stages below build on this one.
FROM node:22-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# ── build: every dependency (TypeScript), then dist/.
FROM toolchain AS build
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ── prod-deps: runtime dependencies only, built on the same base image as the runtime stage, so
#    the native binary matches the Node.js that will load it.
FROM toolchain AS prod-deps
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

# ── runtime: no compiler, no dev dependencies, no source, no secrets; runs as the `node` user.
FROM node:22-bookworm-slim AS runtime
# The V8 heap cap keeps the process well inside the Kubernetes memory limit (384 Mi): under sustained
# load V8 otherwise grows its old space to several times the ~55 MB it keeps alive (measured by
# `npm run bench`: RSS ~405 MB after thousands of request lifecycles without it, ~210 MB with it).
ENV NODE_ENV=production \
    NODE_OPTIONS="--enable-source-maps --max-old-space-size=192" \
    PORT=3000 \
    DATABASE_URL=/app/data/rds-backup-bot.sqlite
WORKDIR /app
# package.json says "type": "module", so Node.js loads dist/ as ES modules without guessing.
COPY package.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The SQLite default lives on a volume the bot can write; the code itself stays root-owned.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME ["/app/data"]
# Slack requests in HTTP mode; /healthz, /readyz and /metrics in both modes.
EXPOSE 3000
# No curl in slim images: Node's own fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# main.ts stops cleanly on SIGTERM: in-flight CreateBackup calls finish, then it exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
