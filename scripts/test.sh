#!/usr/bin/env bash
# `npm test`: lint, then two streams at once, since neither fills both cores alone.
#   - the `parallel` jest project (unit, infra, integration suites) on two workers;
#   - the `e2e` project one suite at a time (each starts a whole local platform and spends much
#     of its time waiting on the platform's own clocks: bake windows, polls), then the type check,
#     `cdk synth` and cfn-lint over the templates it wrote.
# The first stream to fail stops the other; the exit status is that failure's.
set -uo pipefail
set -m # each stream in its own process group, so stopping one stops what it started
cd "$(dirname "$0")/.."
jest=node_modules/.bin/jest

npm run --silent console:build && npm run --silent lint || exit 1

start=$SECONDS
# Says how long a stream took when it ends, so a slow run shows which side held it up.
timed() {
  local name=$1
  shift
  "$@"
  local rc=$?
  echo "npm test: $name finished in $((SECONDS - start)) s (exit $rc)" >&2
  return "$rc"
}

timed "unit, infra and integration suites" "$jest" --selectProjects parallel --maxWorkers=2 &
streams=("$!")
e2e_then_build() {
  "$jest" --selectProjects e2e --runInBand &&
    npm run --silent typecheck &&
    node_modules/.bin/cdk synth --quiet &&
    bash scripts/cfn-lint.sh
}
timed "e2e suites, type check, synth and cfn-lint" e2e_then_build &
streams+=("$!")

stop_all() {
  for pid in "${streams[@]}"; do kill -TERM -- "-$pid" 2>/dev/null; done
}
trap 'stop_all; exit 130' INT TERM

status=0
running=("${streams[@]}")
while [ ${#running[@]} -gt 0 ]; do
  still=()
  for pid in "${running[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      still+=("$pid")
      continue
    fi
    wait "$pid"
    rc=$?
    if [ "$rc" -ne 0 ] && [ "$status" -eq 0 ]; then
      status=$rc
      echo "npm test: a stream failed (exit $rc); stopping the other" >&2
      stop_all
    fi
  done
  running=("${still[@]+"${still[@]}"}")
  [ ${#running[@]} -gt 0 ] && sleep 1
done
exit "$status"
