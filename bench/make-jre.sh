#!/usr/bin/env bash
# Prepares what bench/gpu-check.sh carries to a GPU machine that has no Java, all under .jre/
# (ignored by git):
#   .jre/jre.tar.gz   a jlink'ed Temurin 25 runtime (about 25 MB)
#   .jre/lib/*.jar    JCuda + JCublas and their Linux x86-64 natives, Jackson (to read the reference
#                     architectures), the JUnit console launcher
#   .jre/arch/*.json  ref-cnn-a and ref-cnn-b from shared/spec/arch (shared/ may not travel)
# Then build the classes the check runs (the GPU machine has no Maven either):
#   mvn -q -o package -DskipTests && mvn -q -o test-compile -pl java
# and carry .jre, java/target/classes, java/target/test-classes and bench/target/classes (see
# gpu-check.sh).
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
junit=$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' "$pom")
[[ -n "$junit" ]] || die "junit.version not found in $pom"
platform="1.${junit#5.}"   # JUnit Jupiter 5.x.y ships with Platform 1.x.y
shared=""
for d in "$root/shared" "$root/../shared"; do [[ -d "$d/spec/arch" ]] && { shared=$d; break; }; done
[[ -n "$shared" ]] || die "no shared/spec/arch in or beside $root"

rm -rf "$out/jre.tar.gz" "$out/lib" "$out/jre" "$out/arch"
mkdir -p "$out/lib" "$out/arch"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "make-jre: jlink Temurin 25 runtime"
# java.xml: the JUnit console launcher needs it for its XML reports (--reports-dir, as gpu-check.sh runs it)
"$JAVA_HOME/bin/jlink" \
  --add-modules java.base,java.logging,java.management,java.xml,jdk.unsupported \
  --strip-debug --no-header-files --no-man-pages --compress=zip-9 \
  --output "$work/jre"
tar -C "$work" -czf "$out/jre.tar.gz" jre

# Offline first (the local repository usually has them), then Maven Central. The plugin version is
# pinned: Maven's default (2.8) cannot resolve offline.
dep=org.apache.maven.plugins:maven-dependency-plugin:3.8.1
copy() {
  local artifact=$1
  mvn -q -o "$dep:copy" -Dartifact="$artifact" -DoutputDirectory="$out/lib" 2>/dev/null ||
    mvn -q "$dep:copy" -Dartifact="$artifact" -DoutputDirectory="$out/lib" ||
    die "could not fetch $artifact"
}
# JCuda with its natives and Jackson, as the engine module resolves them (no fastutil, picocli, charts)
engine_jars() {
  mvn -q "$@" -f "$root/java/pom.xml" "$dep:copy-dependencies" -DincludeScope=runtime \
    -DincludeGroupIds=org.jcuda,com.fasterxml.jackson.core -DoutputDirectory="$out/lib"
}
echo "make-jre: jars (the engine's JCuda and Jackson, JUnit Platform $platform)"
engine_jars -o 2>/dev/null || engine_jars || die "could not copy the engine's JCuda and Jackson jars"
copy "org.junit.platform:junit-platform-console-standalone:$platform"

echo "make-jre: reference architectures from $shared/spec/arch"
cp "$shared/spec/arch/ref-cnn-a.json" "$shared/spec/arch/ref-cnn-b.json" "$out/arch/"

echo "make-jre: done"
ls -l "$out/jre.tar.gz" "$out/lib" "$out/arch"
du -sh "$out"
