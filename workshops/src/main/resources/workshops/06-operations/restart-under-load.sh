#!/usr/bin/env bash
# Restarts the node agent of node $1 (default: the node running ratings, which the long-lived connection reaches;
# "all" restarts every node one at a time) while a long-lived connection and a loop of new requests run, then
# prints what both saw: "requests=N failures=F" and "long-lived status=200 seconds=S".
set -u
node="${1:-$(meshctl get pods | awk '$1 ~ /^ratings-/ {print $NF; exit}')}"
[ -n "$node" ] || { echo "no ratings pod: apply samples/bookstore/bookstore.yaml first" >&2; exit 1; }
echo "restarting the node agent of: $node" 
work=$(mktemp -d)
trap 'touch "$work/stop"; rm -rf "$work"' EXIT
# A long-lived connection: ratings answers only after 12 s, so the connection spans the restart.
meshctl exec deploy/curl -- curl -s -m 60 -o /dev/null -w 'long-lived status=%{http_code} seconds=%{time_total}\n' \
  http://ratings:9080/delay/12000 > "$work/long" 2>&1 &
long=$!
# New connections, one after another, from inside the curl pod until the restart is over.
meshctl exec deploy/curl -- sh -c "ok=0; fail=0; while [ ! -e $work/stop ]; do
  if curl -sf -m 5 -o /dev/null http://productpage:9080/productpage; then ok=\$((ok+1)); else fail=\$((fail+1)); fi
  done; echo requests=\$ok failures=\$fail" > "$work/loop" 2>&1 &
loop=$!
# Wait (bounded) until the long-lived connection is open on an agent, so the restart really has one to keep.
for _ in $(seq 1 100); do
  meshctl agent-config connections 2>/dev/null | grep -q ':9080 .*ratings' && break
  sleep 0.2
done
if [ "$node" = all ]; then meshctl restart node-agent; else meshctl restart node-agent --node "$node"; fi
touch "$work/stop"
wait "$loop" "$long"
cat "$work/loop" "$work/long"
