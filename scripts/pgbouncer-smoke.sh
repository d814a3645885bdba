#!/usr/bin/env bash
# A transaction-mode PgBouncer in front of the PostgreSQL at $1 (host:port), then a smoke subset
# of the API's integration tests through it (README, "Behind PgBouncer"). Used by .ci/run; run it
# by hand with `bash scripts/pgbouncer-smoke.sh 127.0.0.1:5432` (needs Debian's pgbouncer).
#
# What it proves: no named prepared statements, no session state across statements, advisory
# locks only inside transactions. Databases are made and migrated on the server directly (a
# template with pooled connections open cannot be cloned); each test file's app connects through
# PgBouncer, whose `*` entry forwards any database name to the server.
set -euo pipefail

cd "$(dirname "$0")/.."
server=${1:-127.0.0.1:5432}
shift || true
host=${server%:*}
port=${server#*:}
# A free port, unless given: a packaged PgBouncer may already hold 6432.
listen_port=${PGBOUNCER_PORT:-$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')}
bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)

dir=$(mktemp -d)
cleanup() {
  if [ -f "$dir/pgbouncer.pid" ]; then kill "$(cat "$dir/pgbouncer.pid")" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=$host port=$port user=postgres

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $listen_port
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 20
max_client_conn = 500
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
INI
# PgBouncer refuses to run as root.
if [ "$(id -u)" -eq 0 ]; then
  chown -R postgres "$dir"
  runuser -u postgres -- "$bin" -d "$dir/pgbouncer.ini"
else
  "$bin" -d "$dir/pgbouncer.ini"
fi
for _ in $(seq 1 50); do pg_isready -q -h 127.0.0.1 -p "$listen_port" && break; sleep 0.1; done

# The concurrency-heavy files (prepared statements and session state break first there), a
# transaction-scoped advisory lock, the outbox claim, and the pooler's own check.
cd packages/api
TEST_POOLER_URL="postgres://postgres@127.0.0.1:$listen_port/postgres" \
DATABASE_URL="postgres://postgres@$host:$port/postgres" \
  pnpm exec vitest run \
    src/db/__tests__/pooler.test.ts \
    src/modules/votes/__tests__/vote-races.test.ts \
    src/modules/invitations/__tests__/invitations.concurrency.test.ts \
    src/modules/email/__tests__/outbox.lease.test.ts \
    src/modules/tasks/__tests__/tasks.test.ts \
    src/modules/auth/__tests__/sign-in.test.ts \
    "$@"
