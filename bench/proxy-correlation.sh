#!/usr/bin/env bash
# Which cheap proxy ranks children like the final training does (issue 9's multi-fidelity choice):
# CHILDREN random children of the default search's space (within MAX_MFLOPS) trained at each proxy
# and with the final recipe; Spearman's rho per proxy and its seconds per child, as a markdown table.
# Resumable: a killed run continues from bench/results/proxy-correlation/children.jsonl.
# Usage: bench/proxy-correlation.sh [CHILDREN] [MAX_MFLOPS]   (defaults 30 and 40: hours on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
children=${1:-30}
mflops=${2:-40}
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}; $(grep -m1 'model name' /proc/cpuinfo); $(nproc) cores" >&2
[ -f bench/target/benchmarks.jar ] || mvn -B -q package -DskipTests
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar org.nasengine.bench.ProxyCorrelation \
  bench/results/proxy-correlation "$children" "$mflops"
