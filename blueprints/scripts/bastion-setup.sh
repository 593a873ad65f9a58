#!/usr/bin/env bash
# Prepares your session on an environment's bastion (Amazon Linux 2023, reached with
# `aws ssm start-session --target <instance id>`): checks the tools the bastion installs at boot
# (kubectl [[ versions.tooling.kubectl ]], the MySQL [[ versions.services.mysql ]] client, mongosh, the AWS CLI), writes your kubeconfig for the
# environment's EKS cluster and checks that you can reach it. Run it as yourself, not root:
#
#   scripts/bastion-setup.sh <environment>
#
# Your AWS credentials (or the bastion's instance role) need eks:DescribeCluster and an access
# entry in the cluster. Database passwords are in the cluster's secrets, for example:
#   kubectl --namespace [[ environments[0].namespace ]] get secret mysql-root --output jsonpath='{.data.password}' | base64 --decode
set -euo pipefail

die() { printf 'bastion-setup: error: %s\n' "$*" >&2; exit 1; }
# retry COMMAND...: three tries, for the AWS and Kubernetes APIs' passing errors.
retry() {
  local attempt
  for attempt in 1 2 3; do
    "$@" && return 0
    [ "$attempt" -eq 3 ] || sleep $((attempt * 5))
  done
  return 1
}
[ "$#" -eq 1 ] || die "usage: scripts/bastion-setup.sh <environment>"
case "$1" in
[% for environment in environments %]
  [[ environment.name ]]) cluster="[[ environment.resource_prefix ]]" ;;
[% endfor %]
  *) die "unknown environment '$1'" ;;
esac
region="[[ answers.aws_region ]]"
namespace="[[ environments[0].namespace ]]"
[ "$(id -u)" -ne 0 ] || die "run it as yourself: the kubeconfig goes to your home"

missing=()
for tool in aws kubectl mysql mongosh; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  die "missing on this host: ${missing[*]} (the bastion installs them at boot; see /var/log/bastion-setup.log)"
fi

aws sts get-caller-identity --query Arn --output text >/dev/null ||
  die "no AWS credentials: configure them (aws configure sso, or the instance role)"
# Safe to run again: the kubeconfig entry is rewritten in place.
retry aws eks update-kubeconfig --region "$region" --name "$cluster" --alias "$cluster" >/dev/null ||
  die "cannot read cluster $cluster: does your IAM identity allow eks:DescribeCluster?"
retry kubectl --namespace "$namespace" get deployments ||
  die "kubectl cannot reach $cluster: does your IAM identity have an access entry in the cluster?"
printf 'bastion-setup: kubectl context %s is ready\n' "$cluster" >&2
