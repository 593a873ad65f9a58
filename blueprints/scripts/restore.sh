#!/usr/bin/env bash
# Restores a dump of the daily backups (or of scripts/backup.sh) into Open edX's database.
#
#   scripts/restore.sh mysql[% if answers.mongodb != "documentdb" %]|mongodb[% endif %] <s3://bucket/key | key in the backups bucket | latest>
#
# Runs where kubectl points at the environment's cluster and AWS credentials may read the backups
# bucket (s3://<prefix>-backups-<account id>). The dump is streamed from S3 into a short-lived pod in the
# cluster that loads it with the credentials Terraform stored there. It overwrites the current
# data: stop the applications first
#   kubectl --namespace <namespace> scale deployment lms cms lms-worker cms-worker --replicas 0
# and deploy again afterwards. It asks for confirmation unless RESTORE_CONFIRM is the namespace.
[% if answers.mongodb == "documentdb" %]
# DocumentDB is restored from its own snapshots (console or `aws docdb restore-db-cluster-from-snapshot`).
[% endif %]
set -euo pipefail

namespace="${NAMESPACE:-[[ environments[0].namespace ]]}"
die() { printf 'restore: error: %s\n' "$*" >&2; exit 1; }
[ "$#" -eq 2 ] || die "usage: scripts/restore.sh <database> <s3 uri | key | latest>"
what="$1"
source_uri="$2"

secret_value() { # secret_value SECRET KEY
  kubectl --namespace "$namespace" get secret "$1" --output "jsonpath={.data.$2}" | base64 --decode
}

case "$what" in
  mysql)
    image="[[ versions.services.mysql_image | replace("public.ecr.aws", ecr_public_cache) ]]"
    secret=mysql-root
    # shellcheck disable=SC2016 # expanded in the pod
    script='umask 077; printf "[client]\nhost=%s\nport=%s\nuser=%s\npassword=%s\n" "$DB_HOST" "$DB_PORT" "$DB_USER" "$DB_PASSWORD" > /tmp/client.cnf; gunzip | mysql --defaults-extra-file=/tmp/client.cnf'
    ;;
[% if answers.mongodb == "in_cluster" %]
  mongodb)
    image="[[ versions.services.mongodb_image | replace("public.ecr.aws", ecr_public_cache) ]]"
    secret=""
    script='exec mongorestore --host=mongodb --port=27017 --gzip --archive --drop'
    ;;
[% elif answers.mongodb == "ec2" %]
  mongodb)
    image="[[ versions.services.mongodb_image | replace("public.ecr.aws", ecr_public_cache) ]]"
    # As Open edX's own user, into its own databases only: the dump (taken by the `backup` user)
    # also holds `admin`, whose users the server's bootstrap manages.
    secret=mongodb
    # shellcheck disable=SC2016 # expanded in the pod
    script='umask 077; printf "password: \"%s\"\n" "$DB_PASSWORD" > /tmp/mongorestore.yaml; exec mongorestore --host="$DB_HOST" --port="$DB_PORT" --username="$DB_USER" --authenticationDatabase="$DB_AUTH_SOURCE" --config=/tmp/mongorestore.yaml --nsInclude="openedx.*" --nsInclude="cs_comments_service.*" --gzip --archive --drop'
    ;;
[% endif %]
  *) die "unknown database '$what'" ;;
esac

bucket="$(secret_value s3 backups_bucket)"
[ -n "$bucket" ] || die "secret s3 in namespace $namespace has no backups_bucket"
case "$source_uri" in
  s3://*) ;;
  latest)
    key="$(aws s3 ls "s3://$bucket/$what/" | awk '{print $4}' | sort | tail -n 1)"
    [ -n "$key" ] || die "no backup in s3://$bucket/$what/"
    source_uri="s3://$bucket/$what/$key"
    ;;
  *) source_uri="s3://$bucket/${source_uri#/}" ;;
esac

if [ "${RESTORE_CONFIRM:-}" != "$namespace" ]; then
  printf 'restore: this overwrites the %s data of namespace %s with %s.\n' "$what" "$namespace" "$source_uri" >&2
  read -r -p "Type the namespace to continue: " answer
  [ "$answer" = "$namespace" ] || die "not confirmed"
fi

pod="restore-$what-$(date -u +%Y%m%d%H%M%S)"
overrides="$(python3 - "$pod" "$image" "$script" "$secret" <<'PY'
import json, sys
pod, image, script, secret = sys.argv[1:5]
keys = {"DB_HOST": "host", "DB_PORT": "port", "DB_USER": "username", "DB_PASSWORD": "password"}
if secret == "mongodb":
    keys["DB_AUTH_SOURCE"] = "auth_source"
env = [
    {"name": name, "valueFrom": {"secretKeyRef": {"name": secret, "key": key}}}
    for name, key in keys.items()
] if secret else []
container = {
    "name": pod, "image": image, "command": ["bash", "-c", script], "env": env,
    "stdin": True, "stdinOnce": True,
}
print(json.dumps({"spec": {"containers": [container]}}))
PY
)"
aws s3 cp "$source_uri" - | kubectl --namespace "$namespace" run "$pod" --image="$image" \
  --restart=Never --rm --quiet --stdin --overrides="$overrides"
printf 'restore: done; deploy again to restart the applications\n' >&2
