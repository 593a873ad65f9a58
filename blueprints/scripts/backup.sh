#!/usr/bin/env bash
# Takes a backup now, outside the daily schedule: runs the environment's backup CronJob
# (backup-<database>) as a one-off Job and waits for it. The dump lands where the daily ones do:
# s3://<prefix>-backups-<account id>/<database>/<UTC time>-<file>.
[% if answers.mongodb == "documentdb" %]
# DocumentDB has no such job: it keeps its own automated snapshots.
[% endif %]
#
#   scripts/backup.sh mysql[% if answers.mongodb != "documentdb" %]|mongodb[% endif %] [timeout in seconds, default 3600]
#
# Needs kubectl on the environment's cluster (`aws eks update-kubeconfig --name <cluster>`), nothing
# else: the Job uploads with its own credentials (EKS Pod Identity).
set -euo pipefail

namespace="${NAMESPACE:-[[ environments[0].namespace ]]}"
die() { printf 'backup: error: %s\n' "$*" >&2; exit 1; }
if [ "$#" -lt 1 ] || [ "$#" -gt 2 ]; then
  die "usage: scripts/backup.sh <database> [timeout seconds]"
fi
what="$1"
timeout="${2:-3600}"
case "$what" in
[% if answers.mongodb == "documentdb" %]
  mysql) ;;
  mongodb) die "DocumentDB keeps its own automated snapshots: use the DocumentDB console or CLI" ;;
[% else %]
  mysql | mongodb) ;;
[% endif %]
  *) die "unknown database '$what'" ;;
esac

job="backup-$what-manual-$(date -u +%Y%m%d%H%M%S)"
kubectl --namespace "$namespace" create job "$job" --from="cronjob/backup-$what" >/dev/null
printf 'backup: started job %s\n' "$job" >&2
deadline=$((SECONDS + timeout))
while :; do
  status="$(kubectl --namespace "$namespace" get job "$job" --output \
    'jsonpath={.status.conditions[?(@.type=="Complete")].status}/{.status.conditions[?(@.type=="Failed")].status}')"
  case "$status" in
    True/*) break ;;
    */True)
      kubectl --namespace "$namespace" logs "job/$job" --all-containers >&2 || true
      die "job $job failed (see the logs above)"
      ;;
  esac
  [ "$SECONDS" -lt "$deadline" ] || die "job $job did not finish in ${timeout}s"
  sleep 10
done
kubectl --namespace "$namespace" logs "job/$job" --container upload
printf 'backup: done\n' >&2
