#!/usr/bin/env bash
# search --cluster on this machine: children per hour with no cluster (--workers 1, the baseline) and with a
# local Spark standalone cluster (LocalCluster) of 1, 2, ... executors of one core each, and what each child
# costs beyond its own training: the driver's wall time x children in flight / children, less the mean
# training time an executor reports for a child (trials.jsonl "seconds"). That excess is Spark's overhead
# (a job per child, the result's trip back), idle cores at the round barrier, and each executor's warm-up
# (JVM, JIT, dataset load) spread over its children. The wall time starts when the search's children start
# ("children train on ..."), so the cluster's and the driver's start are outside it.
# On 2 cores, expect children/hour to flatten at 2 executors.
# Usage: bench/cluster-scaling.sh [BUDGET] [EXECUTORS]   (defaults 16, "1 2"); SEARCH_ARGS replaces the
# search's data and proxy options (default: synthetic data, 3-layer children on 3,000 images).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
budget=${1:-16}
executors=${2:-1 2}
read -r -a search_args <<< "${SEARCH_ARGS:---dataset synthetic --validation 500 --train-subset 3000 --layers 3 --max-layers 3}"
out=bench/results/cluster-scaling
jar=java/cluster/target/nas-engine-cluster.jar
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED)
[ -f "$jar" ] || mvn -B -q -Pcluster -pl java,java/cluster package -DskipTests
rm -rf "$out"
mkdir -p "$out"
cluster=
stop_cluster() { if [ -n "$cluster" ]; then kill "$cluster" 2>/dev/null || true; wait "$cluster" 2>/dev/null || true; cluster=; fi; }
trap stop_cluster EXIT
trap 'exit 130' INT TERM

# run NAME SLOTS SEARCH_OPTIONS...: one search; prints its table row
run() {
  local name=$1 slots=$2 d="$out/$1" t0 t1
  shift 2
  mkdir -p "$d"
  "${java[@]}" -jar "$jar" search "${search_args[@]}" --budget "$budget" --seed 1 --threads 1 --device cpu --promote 0 \
      --final-epochs 0 --out "$d/search" "$@" 2>&1 | stdbuf -oL tr '\r' '\n' | while IFS= read -r line; do
    printf '%s\n' "$line" >> "$d/search.log"
    if [[ $line == *"children train on"* ]]; then date +%s.%N > "$d/t0"; fi
  done
  t1=$(date +%s.%N)
  [ -f "$d/t0" ] || { echo "| $name | search failed: see $d/search.log |"; return; }
  t0=$(cat "$d/t0")
  python3 - "$name" "$slots" "$t0" "$t1" "$d/search/trials.jsonl" <<'PY'
import json, sys
name, slots, t0, t1, path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
trained = [t for t in map(json.loads, open(path)) if t["status"] != "cached"]
wall = t1 - t0
mean = sum(t["seconds"] for t in trained) / len(trained)
excess = wall * slots / len(trained) - mean
print(f"| {name} | {len(trained)} | {wall:.1f} | {len(trained) * 3600 / wall:.0f} | {mean:.2f} | {excess:.2f} | {100 * excess / mean:.0f}% |")
PY
}

echo "| run | children | wall s | children/hour | mean child s (own training) | excess s/child | excess / child |"
echo "|---|---|---|---|---|---|---|"
run local-workers-1 1 --workers 1
for n in $executors; do
  d="$out/spark-$n"
  mkdir -p "$d"
  "$JAVA_HOME/bin/java" -cp "$jar" org.nasengine.cluster.spark.LocalCluster --workers "$n" --cores 1 --port 0 \
      --dir "$d/cluster" > "$d/cluster.out" 2>&1 &
  cluster=$!
  for _ in $(seq 1 240); do grep -q '^spark://' "$d/cluster.out" 2>/dev/null && break; sleep 0.5; done
  url=$(grep -m1 '^spark://' "$d/cluster.out") || { echo "| spark-$n | the cluster did not start: see $d/cluster.out |"; exit 1; }
  run "spark-$n" "$n" --cluster "$url" --workers "$n"
  stop_cluster
done
