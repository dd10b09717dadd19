# Sourced by bench/*/run. Finds the repository, the bench classpath and the running suite.
set -euo pipefail
OMNI_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_RESULTS="${BENCH_RESULTS:-$OMNI_ROOT/bench/target/results}"
mkdir -p "$BENCH_RESULTS"

# the bench module and what it needs, built once
bench_classpath() {
  local cp="$OMNI_ROOT/bench/target/classpath.txt"
  if [[ ! -f "$cp" || ! -d "$OMNI_ROOT/bench/target/classes" ]]; then
    (cd "$OMNI_ROOT" && ./mvnw -B -q install -pl contracts,bench -am -DskipTests) >&2
  fi
  echo "$OMNI_ROOT/bench/target/classes:$(cat "$cp")"
}

# java -cp <bench> dev.omni.bench.<Main> args...; records the command line in the report
bench_java() {
  local main="$1"; shift
  java -Xmx1g -Dbench.results="$BENCH_RESULTS" -Dbench.command="${BENCH_COMMAND:-$0 $*}" \
    -cp "$(bench_classpath)" "$main" "$@"
}

# fails unless the named services answer /q/health/ready (start them with ./omni up)
require_up() {
  local name port
  for name in "$@"; do
    case "$name" in
      gateway) port=8080 ;; profile) port=8081 ;; inventory) port=8082 ;; messaging) port=8083 ;;
      attribution) port=8084 ;; *) echo "unknown service $name" >&2; return 2 ;;
    esac
    if ! curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready"; then
      echo "bench: $name is not ready on :$port — start the suite first: ./omni up --no-demo" >&2
      return 1
    fi
  done
}

# PostgreSQL of ./omni up
PGHOST=127.0.0.1 PGPORT="${OMNI_PG_PORT:-15432}" PGUSER="${OMNI_DB_USER:-omni}" PGPASSWORD="${OMNI_DB_PASSWORD:-omni}"
export PGHOST PGPORT PGUSER PGPASSWORD
KAFKA_BOOTSTRAP="127.0.0.1:${OMNI_KAFKA_PORT:-9092}"

# the Kafka tools (ProducerPerformance, ConsoleConsumer …) on the classpath the launcher's broker uses
kafka_tools_classpath() {
  cat "$OMNI_ROOT/testing/target/classpath.txt"
}
