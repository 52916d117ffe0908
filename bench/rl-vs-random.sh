#!/usr/bin/env bash
# The seed's comparison: REINFORCE against random search on Fashion-MNIST (macro-cnn, the default
# proxy and cost budget), several seeds each, compared at equal wall time: the best validation
# accuracy found by the time the shortest run ended, mean, std and 95% t-interval over seeds, and
# bench/rl-vs-random.png (mean best so far against seconds). Runs resume where they stopped.
# Usage: bench/rl-vs-random.sh [BUDGET] [SEEDS] [STRATEGIES]   (defaults 20, 5, "reinforce random")
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
budget=${1:-20}
seeds=${2:-5}
strategies=${3:-reinforce random}
out=bench/results/rl-vs-random
mvn -B -q package -DskipTests
mkdir -p "$out"
dirs=()
for seed in $(seq 1 "$seeds"); do
  for strategy in $strategies; do
    d="$out/$strategy-seed$seed"
    if [ -f "$d/checkpoint.json" ]; then args=(--resume "$d"); else args=(--strategy "$strategy" --seed "$seed" --budget "$budget" --final-epochs 0 --promote 0 --out "$d"); fi
    echo "== $strategy seed $seed"
    "$JAVA_HOME/bin/java" -jar java/target/nas-engine.jar search "${args[@]}" 2>/dev/null | tail -n 2
    dirs+=("$d")
  done
done
"$JAVA_HOME/bin/java" -cp bench/target/benchmarks.jar org.nasengine.bench.SearchCurves bench/rl-vs-random.png "${dirs[@]}"
