# Sourced by the launcher and scripts: finds a JDK >= 25 and names the JVM flags MooseNG runs with.
#   sets MOOSENG_JDK (its home), JAVA_HOME (the same, for Maven) and MOOSENG_JVM_FLAGS.
# Order: JAVA_HOME, then every JDK under /usr/lib/jvm (newest first), then the default java.
# With MOOSENG_PREBUILT=1 (the container image) a runtime suffices (no javac: nothing is built) and nothing is installed.
MOOSENG_JDK_MIN=25

mooseng_jdk_version() {   # the feature version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] || return 0
  [ -n "${MOOSENG_PREBUILT:-}" ] || [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -version 2>&1 | head -1 | sed -nE 's/.*version "([0-9]+).*/\1/p'
}

mooseng_find_jdk() {
  local c v
  local default_java
  default_java="$(command -v javac 2>/dev/null || true)"
  default_java="${default_java:+$(dirname "$(dirname "$(readlink -f "$default_java")")")}"
  for c in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) "$default_java"; do
    [ -n "$c" ] || continue
    c="${c%/}"
    v="$(mooseng_jdk_version "$c")"
    if [ -n "$v" ] && [ "$v" -ge "$MOOSENG_JDK_MIN" ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

if ! MOOSENG_JDK="$(mooseng_find_jdk)"; then
  # the distribution's own package, where it has one (Debian 13 and later)
  if [ -z "${MOOSENG_PREBUILT:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq >/dev/null 2>&1 || true
    if apt-cache policy openjdk-25-jdk-headless 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      echo "installing: openjdk-25-jdk-headless" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-25-jdk-headless >/dev/null
    fi
  fi
  if ! MOOSENG_JDK="$(mooseng_find_jdk)"; then
    cat >&2 <<MSG
mooseng: needs a JDK $MOOSENG_JDK_MIN or newer (javac and java), and found none
  (looked at JAVA_HOME, /usr/lib/jvm/*, and the default java).
  Install one, e.g. Eclipse Temurin 25 (package temurin-25-jdk from the Adoptium apt repository)
  or openjdk-25-jdk-headless where your distribution has it, then run again
  (or point JAVA_HOME at it).
MSG
    exit 1
  fi
fi
export JAVA_HOME="$MOOSENG_JDK"
# FFM downcalls (ISA-L, libc, /dev/fuse) need native access; the erasure-coding kernel uses the Vector API;
# Netty still uses sun.misc.Unsafe; an OutOfMemoryError ends the process instead of leaving it half-broken.
MOOSENG_JVM_FLAGS="--enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector --sun-misc-unsafe-memory-access=allow -XX:+ExitOnOutOfMemoryError"
export MOOSENG_JDK MOOSENG_JVM_FLAGS
