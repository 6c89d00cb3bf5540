#!/usr/bin/env bash
# Starts (start) or stops (stop) a throw-away PostgreSQL cluster on 127.0.0.1 for the test suite.
# Installs Debian's PostgreSQL if no server binaries are present. Prints the database URL on start.
set -euo pipefail
PGPORT="${ALYX_PG_PORT:-55432}"
PGDATA="${ALYX_PG_DATA:-/tmp/alyx-ci-pg-$PGPORT}"
PGLOCALE="${ALYX_PG_LOCALE:-en_US.UTF-8}"

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

case "${1:-start}" in
  start)
    if ! BIN=$(find_bin); then
      echo "Installing PostgreSQL from Debian packages..." >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
      BIN=$(find_bin)
    fi
    id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
    if [ -f "$PGDATA/postmaster.pid" ]; then
      su postgres -c "$BIN/pg_ctl -D '$PGDATA' -m immediate stop" >/dev/null 2>&1 || true
    fi
    rm -rf "$PGDATA"
    mkdir -p "$PGDATA"
    chown postgres "$PGDATA"
    # The collation of Alyx's own PostgreSQL (upstream's images): lists ordered by name follow it ('camera.dlc' before
    # 'DAQdata.meta'), not a binary order. ALYX_PG_LOCALE chooses another; the locale is generated when missing.
    if [ "$PGLOCALE" != C.UTF-8 ] && ! locale -a 2>/dev/null | grep -qix "$(echo "$PGLOCALE" | sed 's/UTF-8$/utf8/I')"; then
      if command -v locale-gen >/dev/null 2>&1 && [ -w /etc/locale.gen ]; then
        grep -q "^$PGLOCALE UTF-8" /etc/locale.gen || echo "$PGLOCALE UTF-8" >> /etc/locale.gen
        locale-gen >/dev/null 2>&1 || true
      fi
      if ! locale -a 2>/dev/null | grep -qix "$(echo "$PGLOCALE" | sed 's/UTF-8$/utf8/I')"; then
        echo "Locale $PGLOCALE is not available: the cluster uses C.UTF-8 (binary order)." >&2
        PGLOCALE=C.UTF-8
      fi
    fi
    su postgres -c "$BIN/initdb -D '$PGDATA' -U postgres --auth=trust -E UTF8 --locale=$PGLOCALE" >/dev/null
    su postgres -c "$BIN/pg_ctl -D '$PGDATA' -l '$PGDATA/server.log' -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300\" -w start" >/dev/null
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    if BIN=$(find_bin) && [ -d "$PGDATA" ]; then
      su postgres -c "$BIN/pg_ctl -D '$PGDATA' -m fast stop" >/dev/null 2>&1 || true
      rm -rf "$PGDATA"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
