#!/usr/bin/env bash
# The seed's comparison: REINFORCE against random search at equal budgets on Fashion-MNIST
# (macro-cnn, the default proxy), several seeds each, then the curves (best so far and mean of
# the top 5 against children trained) as bench/rl-vs-random.png plus a markdown table.
# Usage: bench/rl-vs-random.sh [BUDGET] [SEEDS]   (defaults 20 and 3: about an hour on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
budget=${1:-20}
seeds=${2:-3}
out=bench/results/rl-vs-random
mvn -B -q package -DskipTests
mkdir -p "$out"
dirs=()
for seed in $(seq 1 "$seeds"); do
  for strategy in reinforce random; do
    d="$out/$strategy-seed$seed"
    if [ -f "$d/checkpoint.json" ]; then args=(--resume "$d"); else args=(--strategy "$strategy" --seed "$seed" --budget "$budget" --final-epochs 0 --out "$d"); fi
    echo "== $strategy seed $seed"
    "$JAVA_HOME/bin/java" -jar java/target/nas-engine.jar search "${args[@]}" 2>/dev/null | tail -n 2
    dirs+=("$d")
  done
done
"$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.nasengine.bench.SearchCurves bench/rl-vs-random.png "${dirs[@]}"
