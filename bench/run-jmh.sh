#!/usr/bin/env bash
# Builds the engine and the benchmarks, runs the training-step suite with JMH and writes
# bench/results/jmh.json, then prints it as the markdown table of bench/RESULTS.md.
#
#   bench/run-jmh.sh                  # TrainStepBenchmark, OpBenchmark, ControllerBenchmark
#   bench/run-jmh.sh 'OpBenchmark' -p backend=cpu    # any JMH arguments instead
#
# Defaults fit a 2-core machine (about 5 minutes): one fork, short iterations set on each
# benchmark class, the CNN steps on the native backend only. SKIP_BUILD=1 reuses the built jar.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${NAS_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -q package -pl java,bench -am -DskipTests ${MVN_FLAGS:-}
fi

mkdir -p bench/results
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date)"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset (OpenBLAS picks its kernels)}"
if [[ $# -eq 0 ]]; then
  set -- 'TrainStepBenchmark|OpBenchmark|ControllerBenchmark'
fi
java -jar bench/target/benchmarks.jar "$@" -rf json -rff bench/results/jmh.json
echo
python3 bench/jmh-table.py bench/results/jmh.json
