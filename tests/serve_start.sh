# serve_start.sh - sourced by tests/cli/serve.sh, tests/browser/console.sh
# and bench/serve_load.sh: `serve_start BIN DIR [serve options]` starts
# `BIN serve --listen 127.0.0.1:0` in the background (output in DIR/serve.out
# and DIR/serve.err) and sets $serve_pid and $serve_url once it listens
# (at most 100 polls of its output); returns 1 if it does not start.
serve_start() {
  local bin=$1 dir=$2
  shift 2
  "$bin" serve --listen 127.0.0.1:0 "$@" >"$dir/serve.out" 2>"$dir/serve.err" &
  serve_pid=$!
  serve_url=
  for _ in $(seq 100); do
    serve_url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$dir/serve.out" || true)
    [ -n "$serve_url" ] && return 0
    kill -0 "$serve_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$serve_pid" 2>/dev/null
  echo "tollgate serve did not start:" >&2
  cat "$dir/serve.err" >&2
  return 1
}
