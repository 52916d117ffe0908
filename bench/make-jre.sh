#!/usr/bin/env bash
# Prepares what bench/gpu-check.sh carries to a GPU machine that has no Java, all under .jre/
# (ignored by git):
#   .jre/jre.tar.gz   a jlink'ed Temurin 25 runtime (about 23 MB)
#   .jre/lib/*.jar    JCuda + JCublas and their Linux x86-64 natives, the JUnit console launcher
# Then build the classes the check runs (the GPU machine has no Maven either):
#   mvn -q -o package -pl java -DskipTests && mvn -q -o test-compile -pl java
# and carry .jre, java/target/classes and java/target/test-classes (see gpu-check.sh).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export JAVA_HOME=${NAS_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
export PATH="$JAVA_HOME/bin:$PATH"
out="$root/.jre"

die() { echo "make-jre: $*" >&2; exit 1; }
[[ -x "$JAVA_HOME/bin/jlink" ]] || die "no jlink in $JAVA_HOME (set NAS_JDK25 to a Temurin 25 JDK)"
"$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25' || die "$JAVA_HOME is not Java 25"
command -v mvn >/dev/null || die "mvn not found"

# Versions from the build, so the carried jars are the ones the tests compiled against.
pom="$root/pom.xml"
jcuda=$(sed -n 's:.*<jcuda.version>\(.*\)</jcuda.version>.*:\1:p' "$pom")
junit=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' "$pom")
[[ -n "$jcuda" && -n "$junit" ]] || die "jcuda.version or junit.version not found in $pom"
platform="1.${junit#5.}"   # JUnit Jupiter 5.x.y ships with Platform 1.x.y

rm -rf "$out/jre.tar.gz" "$out/lib" "$out/jre"
mkdir -p "$out/lib"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "make-jre: jlink Temurin 25 runtime"
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
  --output "$work/jre"
tar -C "$work" -czf "$out/jre.tar.gz" jre

# Offline first (the local repository usually has them), then Maven Central.
copy() {
  local artifact=$1
  mvn -q -o dependency:copy -Dartifact="$artifact" -DoutputDirectory="$out/lib" 2>/dev/null ||
    mvn -q dependency:copy -Dartifact="$artifact" -DoutputDirectory="$out/lib" ||
    die "could not fetch $artifact"
}
echo "make-jre: jars (JCuda $jcuda, JUnit Platform $platform)"
copy "org.jcuda:jcuda:$jcuda"
copy "org.jcuda:jcuda-natives:$jcuda:jar:linux-x86_64"
copy "org.jcuda:jcublas:$jcuda"
copy "org.jcuda:jcublas-natives:$jcuda:jar:linux-x86_64"
copy "org.junit.platform:junit-platform-console-standalone:$platform"

echo "make-jre: done"
ls -l "$out/jre.tar.gz" "$out/lib"
du -sh "$out"
