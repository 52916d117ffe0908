#!/usr/bin/env bash
# Every strategy on the NAS-Bench-201 CIFAR-10 table at 100 queries: search on c10_valid_12ep,
# report c10_test_200ep of each run's pick (the benchmark paper's protocol). Two comparisons:
# all five strategies over SEEDS seeds (bench/strategies-nb201.png), then random search and
# regularized evolution over BASELINE_SEEDS seeds, the figures to hold against the reference
# implementation (93.76 +- 0.36 and 93.96 +- 0.39 over 300 seeds).
# Usage: bench/strategies-nb201.sh [SEEDS] [BASELINE_SEEDS]   (defaults 100 and 300: about 15
# minutes of CPU, most of it bo and smbo)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
seeds=${1:-100}
baseline_seeds=${2:-300}
table=${NB201_TABLE:-../shared/data/nasbench201/nb201-cifar10.csv}
[ -f "$table" ] || table=/work/shared/data/nasbench201/nb201-cifar10.csv
out=bench/results/strategies-nb201
[ -f java/target/nas-engine.jar ] || mvn -B -q package -DskipTests
mkdir -p "$out"
run() {
  "$JAVA_HOME/bin/java" -jar java/target/nas-engine.jar compare --space nb201 --evaluator table --table "$table" \
    --table-metric c10_valid_12ep --table-report c10_test_200ep --budget 100 "$@"
}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date -u '+%Y-%m-%d %H:%M UTC')"
run --strategies random,reinforce,evolution,smbo,bo --seeds "$seeds" --plot bench/strategies-nb201.png | tee "$out/all.md"
run --strategies random,evolution --seeds "$baseline_seeds" --plot "$out/baselines.png" | tee "$out/baselines.md"
