#!/usr/bin/env bash
# ref-rnn-a against a plain LSTM of the same parameter count on Penn Treebank, same recipe and
# budget (org.nasengine.bench.PtbCompare): validation perplexity curves and a markdown table.
# Defaults (hidden 200, 2000 steps = 1.5 epochs, lr 1 on the loss summed over the 35 steps, 20k validation tokens every 250 steps)
# take about 13 minutes on 2 cores (AMD EPYC, native cpu backend). SKIP_BUILD=1 reuses the jar.
#   bench/ptb-compare.sh [HIDDEN] [STEPS] [LR] [EVAL_TOKENS] [CHECKPOINTS] [DROPOUT] [BACKEND] [SEED] [CLIP]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
export PATH="$JAVA_HOME/bin:$PATH"
cd "$root"
[[ "${SKIP_BUILD:-0}" == 1 ]] || mvn -q package -pl java,bench -am -DskipTests ${MVN_FLAGS:-}
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; $(date)"
echo "command: bench/ptb-compare.sh $*"
java --enable-native-access=ALL-UNNAMED -Xmx6g -cp bench/target/benchmarks.jar org.nasengine.bench.PtbCompare "$@"
