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

# java -cp <bench> dev.omni.bench.<Main> args...; records the command line in the report. The services check the
# token of every /api call again (OMNI_AUTH_ENABLED, on in ./omni up), so the load generators send a client-credentials
# token of OMNI_BENCH_CLIENT (default omni-admin), fetched and renewed by dev.omni.bench.BenchAuth. The load generator's
# JVM options: OMNI_BENCH_JAVA_OPTS (default -Xmx1g).
bench_java() {
  local main="$1"; shift
  local client="${OMNI_BENCH_CLIENT:-omni-admin}"
  local token_url="http://127.0.0.1:${OMNI_KC_PORT:-8180}/realms/omni/protocol/openid-connect/token"
  local auth=()
  if curl -fsS -o /dev/null "http://127.0.0.1:${OMNI_KC_PORT:-8180}/realms/omni"; then
    auth=(-Dbench.token-url="$token_url" -Dbench.client-id="$client"
          -Dbench.client-secret="${OMNI_BENCH_CLIENT_SECRET:-$client-secret}")
  else
    echo "bench: Keycloak does not answer on :${OMNI_KC_PORT:-8180}; calling the services without a token" >&2
  fi
  local opts
  read -r -a opts <<< "${OMNI_BENCH_JAVA_OPTS:--Xmx1g}"
  java "${opts[@]}" -Dbench.results="$BENCH_RESULTS" -Dbench.command="${BENCH_COMMAND:-$0 $*}" ${auth[@]+"${auth[@]}"} \
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

# A token of realm omni from the suite's Keycloak: client_credentials for CLIENT SECRET, or the password grant of the
# public client storefront-app for a user: kc_token --user NAME PASSWORD
kc_token() {
  local url="http://127.0.0.1:${OMNI_KC_PORT:-8180}/realms/omni/protocol/openid-connect/token" json
  if [[ "$1" == --user ]]; then
    json=$(curl -fsS -d grant_type=password -d client_id=storefront-app --data-urlencode "username=$2" \
      --data-urlencode "password=$3" -d scope=openid "$url")
  else
    json=$(curl -fsS -d grant_type=client_credentials -d "client_id=$1" -d "client_secret=$2" "$url")
  fi
  sed -E 's/.*"access_token":"([^"]+)".*/\1/' <<<"$json"
}

# Starts the packaged gateway as the launcher configures it, on PORT, with every rate limit raised above a benchmark's
# load (the limiter still runs on every request); logs to LOG; prints its pid. Wait for it with wait_ready.
start_bench_gateway() {
  local port=$1 log=$2 jar="$OMNI_ROOT/gateway/target/quarkus-app/quarkus-run.jar" scope
  [[ -f "$jar" ]] || { echo "bench: $jar is missing: ./mvnw -B -o -q install -pl gateway -DskipTests" >&2; return 1; }
  local limits=(-Domni.gateway.rate-limit.default.capacity=1000000000 -Domni.gateway.rate-limit.default.period=1s)
  for scope in storefront admin customer public segment "inventory:read" "events:write" "stock:write" \
      "attribution:read" "audiences:read" "feeds:read"; do
    [[ "$scope" == *:* ]] && scope="\"$scope\""   # a map key with ':' must be quoted, a plain one must not
    limits+=("-Domni.gateway.rate-limit.scopes.$scope.capacity=1000000000"
             "-Domni.gateway.rate-limit.scopes.$scope.period=1s")
  done
  # OMNI_BENCH_GATEWAY_OPTS: more JVM options for it (e.g. -Dquarkus.micrometer.enabled=false to weigh a part)
  # shellcheck disable=SC2086
  java -Xmx256m ${OMNI_BENCH_GATEWAY_OPTS:-} -Dquarkus.http.port="$port" "${limits[@]}" -Dquarkus.log.level=WARN \
    -Dkafka.bootstrap.servers="$KAFKA_BOOTSTRAP" \
    -Domni.oidc.url="http://127.0.0.1:${OMNI_KC_PORT:-8180}/realms/omni" \
    -jar "$jar" > "$log" 2>&1 &
  echo $!
}

# waits up to 120 s for URL to answer 2xx
wait_ready() {
  local url=$1 _
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "$url" && return 0
    sleep 1
  done
  echo "bench: $url did not come up within 120 s" >&2
  return 1
}
