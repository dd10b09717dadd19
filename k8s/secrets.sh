#!/usr/bin/env bash
# Creates the Secrets that Omni's manifests reference and that must never be in git, with random values:
#   omni-db-<db>             PostgreSQL login of each service's role and of Keycloak (username, password)
#   omni-keycloak-clients    client secrets of the omni realm, one key per confidential client
#   omni-messaging-tracking  key that signs messaging-service's tracking links (secret)
# Other Secrets come from the operators: Strimzi writes one per KafkaUser (named after the service) and the
# cluster CA (omni-kafka-cluster-ca-cert); the Keycloak operator writes omni-keycloak-initial-admin.
#
# Usage: k8s/secrets.sh NAMESPACE            create the missing Secrets in NAMESPACE (an existing one is kept)
#        k8s/secrets.sh NAMESPACE --dry-run  print them as YAML instead (no cluster needed)
set -euo pipefail

ns=${1:?usage: k8s/secrets.sh NAMESPACE [--dry-run]}
mode=${2:-apply}
[[ $mode == apply || $mode == --dry-run ]] || { echo "unknown option: $mode" >&2; exit 2; }

random() { head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

# secret NAME TYPE KEY=VALUE...
secret() {
  local name=$1 type=$2; shift 2
  if [[ $mode == apply ]] && kubectl -n "$ns" get secret "$name" >/dev/null 2>&1; then
    echo "secret/$name exists: kept" >&2
    return
  fi
  local args=()
  for kv in "$@"; do args+=(--from-literal="$kv"); done
  # cnpg.io/reload: CloudNativePG applies a changed password to its role (see "Rotate secrets" in k8s/README.md)
  local yaml
  yaml=$(kubectl create secret generic "$name" -n "$ns" --type="$type" "${args[@]}" --dry-run=client -o yaml \
    | kubectl label --local -f - cnpg.io/reload=true app.kubernetes.io/part-of=omni -o yaml)
  if [[ $mode == --dry-run ]]; then
    printf -- '---\n%s\n' "$yaml"
  else
    printf '%s\n' "$yaml" | kubectl apply -f -
  fi
}

for db in profile inventory messaging attribution keycloak; do
  secret "omni-db-$db" kubernetes.io/basic-auth "username=$db" "password=$(random)"
done
secret omni-keycloak-clients Opaque \
  "omni-gateway=$(random)" "storefront-web=$(random)" "partner-pos=$(random)" "partner-ads=$(random)" \
  "omni-admin=$(random)" "omni-console=$(random)" "omni-gateway-service=$(random)"
secret omni-messaging-tracking Opaque "secret=$(random)"
