# Shared by bin/flotilla and bin/test: find a JDK >= 21 and build the jar when it is stale.
# Sourced, not run.

flotilla_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# The major version of the java at $1/bin/java, or 0.
_jdk_major() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v:-0}"
}

# Sets JAVA_HOME to a JDK >= 21: JAVA_HOME first, then /usr/lib/jvm/*, newest first.
find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(_jdk_major "$JAVA_HOME")" -ge 21 ]; then
    export JAVA_HOME; return 0
  fi
  local d best="" best_v=0 v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(_jdk_major "$d")
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best=$d; best_v=$v; fi
  done
  if [ -z "$best" ]; then
    echo "flotilla: no JDK 21 or newer found (looked at JAVA_HOME and /usr/lib/jvm)." >&2
    echo "  Install one (for example: apt-get install openjdk-21-jdk-headless) or set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME=$best
}

# Runs Maven with the chosen JDK; retries up to 3 times when Maven Central stalls or drops.
mvn_retry() {
  local attempt log rc
  log=$(mktemp)
  for attempt in 1 2 3; do
    set +e
    mvn "$@" 2>&1 | tee "$log"
    rc=${PIPESTATUS[0]}
    set -e
    if [ "$rc" -eq 0 ]; then rm -f "$log"; return 0; fi
    if grep -qE 'Could not transfer|Connection reset|timed out|Read timed out|Connect to .* failed|Could not resolve dependencies' "$log"; then
      echo "flotilla: Maven could not reach its repository (attempt $attempt of 3); retrying." >&2
      sleep $((attempt * 5))
      continue
    fi
    rm -f "$log"; return "$rc"
  done
  rm -f "$log"; return "$rc"
}

JVM_OPTS_DEFAULT="--enable-native-access=ALL-UNNAMED"

# Options the chosen JVM understands, added to JVM_OPTS_DEFAULT.
jvm_opts() {
  local opts=$JVM_OPTS_DEFAULT
  if [ "$(_jdk_major "$JAVA_HOME")" -ge 24 ]; then
    opts="$opts --sun-misc-unsafe-memory-access=allow"
  fi
  echo "$opts"
}
