#!/usr/bin/env bash
# pg_cluster.sh - a throwaway PostgreSQL cluster for the tests.
#   pg_cluster.sh start STATEFILE  initdb in a fresh temporary directory,
#                                  start on 127.0.0.1 and a free port (and a
#                                  socket in that directory), record it
#   pg_cluster.sh env STATEFILE    print the PG* variables that reach it
#   pg_cluster.sh run STATEFILE CMD...  run CMD with those variables
#   pg_cluster.sh restart STATEFILE    stop and start it again (same port)
#   pg_cluster.sh pause|resume STATEFILE  stop it / start it again, kept
#   pg_cluster.sh crash STATEFILE  stop it as a crash would (immediate:
#                                  WAL not yet written is lost), kept
#   pg_cluster.sh stop STATEFILE   stop it and remove the directory
# Tests run as root; PostgreSQL refuses to, so as root the cluster runs as
# the unprivileged `postgres` user (or `nobody`).
set -euo pipefail
cmd=$1 state=$2
shift 2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bindir/initdb" ] || { echo "pg_cluster: PostgreSQL server not installed (make deps)" >&2; exit 1; }
as_user() {
  if [ "$(id -u)" = 0 ]; then
    local u=postgres
    id "$u" >/dev/null 2>&1 || u=nobody
    runuser -u "$u" -- "$@"
  else
    "$@"
  fi
}
pgctl() { as_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" "$@"; }
load() { dir=$(sed -n 1p "$state"); port=$(sed -n 2p "$state"); }
opts() { echo "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on -c max_connections=200"; }
case $cmd in
start)
  dir=$(mktemp -d /tmp/tg-pg-XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown "$(id postgres >/dev/null 2>&1 && echo postgres || echo nobody)" "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_user "$bindir/initdb" -D "$dir/data" -U tollgate -A trust --no-sync -E UTF8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  printf '%s\n%s\n' "$dir" "$port" >"$state"
  pgctl -w -o "$(opts)" start >/dev/null
  echo "PostgreSQL test cluster in $dir on 127.0.0.1:$port"
  ;;
env)
  load
  echo "PGHOST=$dir PGPORT=$port PGUSER=tollgate PGDATABASE=postgres"
  ;;
run)
  load
  PGHOST=$dir PGPORT=$port PGUSER=tollgate PGDATABASE=postgres PG_CLUSTER_STATE=$state exec "$@"
  ;;
restart)
  load
  pgctl -w -m fast stop >/dev/null
  pgctl -w -o "$(opts)" start >/dev/null
  ;;
pause)
  load
  pgctl -w -m fast stop >/dev/null
  ;;
crash)
  load
  pgctl -w -m immediate stop >/dev/null
  ;;
resume)
  load
  pgctl -w -o "$(opts)" start >/dev/null
  ;;
stop)
  [ -f "$state" ] || exit 0
  load
  pgctl -w -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$state"
  ;;
*) echo "usage: pg_cluster.sh start|env|run|restart|pause|crash|resume|stop STATEFILE [CMD...]" >&2; exit 2 ;;
esac
