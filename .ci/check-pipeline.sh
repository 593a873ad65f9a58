#!/usr/bin/env bash
# Proves the pipeline part of a generated repository with the real tools:
#   - every GitHub workflow validates against the workflow schema (action-validator), keeps its
#     ${{ }} expressions intact, reaches AWS only through OIDC (role-to-assume, id-token: write);
#   - every generated shell script passes shellcheck, every YAML file outside terraform/ yamllint;
#   - for every environment: Tutor (the pinned release, real CLI) accepts config.yml with the local
#     plugin, `kubectl kustomize` builds the rendered env/, the LMS and CMS deployments exist and
#     the MySQL, MongoDB and Redis deployments are absent exactly when the answers put them on AWS;
#     the app tier: HPAs (pod-autoscaling plugin) for lms, cms and their workers, two or more LMS
#     and Studio pods behind PodDisruptionBudgets in production, one of each elsewhere and no
#     budget that blocks a drain, resource requests, probes, no `replicas:` fighting the HPAs;
#     the deploy helper renders the same environment with stand-in cluster secrets, and deploys
#     the first environment to a simulated cluster and AWS (.ci/fake-kubectl.py, .ci/fake-aws.py):
#     twice, after a Tutor upgrade, across releases, and onto a rebuilt cluster;
#   - the build helper hands Tutor the customisations (stand-in docker, nothing is built).
#
#   .ci/check-pipeline.sh <generated-repo-dir>
#
# Tools come from .ci/tools.sh (run it first). Exits non-zero if any check fails.
set -uo pipefail

ci_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="${VENV:-$ci_dir/.venv}"
case "$VENV" in /*) ;; *) VENV="$(dirname "$ci_dir")/$VENV" ;; esac
export PATH="$VENV/bin:$ci_dir/node_modules/.bin:$PATH"
py="$VENV/bin/python"

[ "$#" -eq 1 ] || { echo "usage: .ci/check-pipeline.sh <generated-repo-dir>" >&2; exit 2; }
repo="$(cd "$1" && pwd)" || exit 2
for tool in action-validator shellcheck yamllint tutor kubectl; do
  command -v "$tool" >/dev/null || { echo "check-pipeline: $tool is missing: run .ci/tools.sh" >&2; exit 2; }
done

failures=0
fail() { printf 'FAIL %s\n' "$*" >&2; failures=$((failures + 1)); }
pass() { printf 'ok   %s\n' "$*"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# ---- Workflows --------------------------------------------------------------------------------
workflows=()
while IFS= read -r -d '' file; do workflows+=("$file"); done \
  < <(find "$repo/.github/workflows" -type f \( -name '*.yml' -o -name '*.yaml' \) -print0 2>/dev/null | sort -z)
[ "${#workflows[@]}" -gt 0 ] || fail "no workflow in $repo/.github/workflows"
for file in "${workflows[@]}"; do
  name="${file#"$repo"/}"
  if action-validator "$file" > "$work/av.log" 2>&1; then
    pass "$name: valid workflow (action-validator)"
  else
    fail "$name: action-validator"
    sed 's/^/     /' "$work/av.log" >&2
  fi
done
if [ "${#workflows[@]}" -gt 0 ]; then
  if "$py" - "$repo" "${workflows[@]}" > "$work/wf.log" 2>&1 <<'PY'
import re, sys, yaml
repo, files = sys.argv[1], sys.argv[2:]
problems = []
for path in files:
    name = path[len(repo) + 1:]
    text = open(path).read()
    for marker in ("[[", "]]", "[%", "%]", "[#", "#]"):
        for match in re.finditer(re.escape(marker), text):
            line = text.count("\n", 0, match.start()) + 1
            problems.append(f"{name}:{line}: template syntax left after rendering: {marker}")
    opened = text.count("${{")
    if opened != len(re.findall(r"\$\{\{.*?\}\}", text)):
        problems.append(f"{name}: an expression ${{{{ }}}} is not closed on its line")
    if opened == 0:
        problems.append(f"{name}: no ${{{{ }}}} expression at all (rendering ate them?)")
    for word in ("aws-access-key-id", "aws-secret-access-key", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "aws-session-token"):
        if word in text:
            problems.append(f"{name}: mentions {word}: AWS access must go through OIDC only")
    doc = yaml.safe_load(text)
    if "permissions" not in doc:
        problems.append(f"{name}: no top-level permissions")
    if "concurrency" not in doc:
        problems.append(f"{name}: no concurrency")
    for job_name, job in (doc.get("jobs") or {}).items():
        steps = job.get("steps") or []
        aws = [s for s in steps if str(s.get("uses", "")).startswith("aws-actions/configure-aws-credentials@")]
        perms = job.get("permissions", doc.get("permissions")) or {}
        for step in aws:
            if not (step.get("with") or {}).get("role-to-assume"):
                problems.append(f"{name}: job {job_name}: configure-aws-credentials without role-to-assume")
        if aws and (not isinstance(perms, dict) or perms.get("id-token") != "write"):
            problems.append(f"{name}: job {job_name}: uses AWS but has no id-token: write")
        if isinstance(perms, dict) and any(v == "write" for k, v in perms.items() if k != "id-token"):
            problems.append(f"{name}: job {job_name}: write permission beyond id-token: {perms}")
print("\n".join(problems))
sys.exit(1 if problems else 0)
PY
  then
    pass "${#workflows[@]} workflows: expressions intact, permissions, concurrency, OIDC only"
  else
    fail "workflow rules"
    sed 's/^/     /' "$work/wf.log" >&2
  fi
fi

# ---- Shell scripts ----------------------------------------------------------------------------
scripts=()
while IFS= read -r -d '' file; do scripts+=("$file"); done \
  < <(find "$repo" -path "$repo/.git" -prune -o -type f -name '*.sh' -print0 | sort -z)
for file in "${scripts[@]}"; do
  name="${file#"$repo"/}"
  if shellcheck "$file" > "$work/sc.log" 2>&1; then pass "$name: shellcheck"; else
    fail "$name: shellcheck"
    sed 's/^/     /' "$work/sc.log" >&2
  fi
  case "$name" in scripts/*) [ -x "$file" ] || fail "$name: not executable" ;; esac
done

# ---- YAML outside terraform/ ------------------------------------------------------------------
yamls=()
while IFS= read -r -d '' file; do yamls+=("$file"); done \
  < <(find "$repo" \( -path "$repo/.git" -o -path "$repo/terraform" \) -prune -o -type f \( -name '*.yml' -o -name '*.yaml' \) -print0 | sort -z)
if [ "${#yamls[@]}" -gt 0 ]; then
  if yamllint --strict -c "$ci_dir/yamllint.yml" -f parsable "${yamls[@]}" > "$work/yl.log" 2>&1; then
    pass "${#yamls[@]} YAML files: yamllint"
  else
    fail "yamllint"
    sed "s|^$repo/|     |" "$work/yl.log" >&2
  fi
fi

# ---- Tutor, per environment -------------------------------------------------------------------
answers="$repo/.openedx-devops/answers.yml"
[ -f "$answers" ] || fail "no $answers"
mongodb="$("$py" -c 'import sys, yaml; print((yaml.safe_load(open(sys.argv[1])) or {}).get("mongodb", "ec2"))' "$answers" 2>/dev/null)"
answer_envs="$("$py" -c 'import sys, yaml; print(" ".join(e["name"] for e in (yaml.safe_load(open(sys.argv[1])) or {}).get("environments") or [{"name": "prod"}]))' "$answers" 2>/dev/null)"
config_envs="$(find "$repo/ci/tutor-deploy/environments" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null | sort | tr '\n' ' ')"
if [ "$(tr ' ' '\n' <<<"$answer_envs" | sed '/^$/d' | sort | tr '\n' ' ')" = "$config_envs" ]; then
  pass "one Tutor configuration per environment of the answers: $config_envs(mongodb: $mongodb)"
else
  fail "environments in the answers ($answer_envs) differ from ci/tutor-deploy/environments ($config_envs)"
fi

# Stand-in values for the cluster secrets that scripts/tutor-deploy.sh reads.
fake="$work/cluster-secrets"
while read -r secret key _ kind; do
  case "$secret" in '' | '#'*) continue ;; esac
  case "$kind" in
    int) value=4242 ;;
    bool) value=true ;;
    *) value="check-$secret-$key" ;;
  esac
  case "$secret/$key" in
    s3/bucket) value=check-media-bucket ;;
    s3/cdn_domain) value=cdn.check.example ;;
    s3/region) value=eu-west-1 ;;
    mongodb/retry_writes) value=false ;;
    redis/username) continue ;; # AUTH token of the default user: no username (absent reads as empty)
    redis/password) value='check-redis-token/with@odd:chars' ;;
  esac
  mkdir -p "$fake/$secret"
  printf '%s' "$value" > "$fake/$secret/$key"
done < "$repo/ci/tutor-deploy/cluster-secrets.txt"

# assert_manifests ENV MANIFESTS CONFIG: deployments, ingress and images as the answers say
assert_manifests() {
  "$py" - "$1" "$2" "$3" "$mongodb" <<'PY'
import sys, yaml
env, manifests, config_file, mongodb = sys.argv[1:5]
docs = [d for d in yaml.safe_load_all(open(manifests)) if d]
config = yaml.safe_load(open(config_file))
deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
problems = []
for name in ("lms", "cms", "lms-worker", "cms-worker", "mfe", "caddy", "meilisearch"):
    if name not in deployments:
        problems.append(f"deployment {name} is missing")
expect_absent = {"mysql": True, "redis": True, "smtp": True, "mongodb": mongodb != "in_cluster"}
for name, absent in expect_absent.items():
    if absent and name in deployments:
        problems.append(f"deployment {name} exists but the answers put it on AWS")
    if not absent and name not in deployments:
        problems.append(f"deployment {name} is missing but the answers run it in the cluster")
for key, name in (("RUN_MYSQL", "mysql"), ("RUN_REDIS", "redis"), ("RUN_MONGODB", "mongodb"), ("RUN_SMTP", "smtp")):
    if bool(config.get(key, True)) != (not expect_absent[name]):
        problems.append(f"config.yml {key}={config.get(key)} disagrees with the answers (mongodb: {mongodb})")
image = deployments.get("lms", {}).get("spec", {}).get("template", {}).get("spec", {}).get("containers", [{}])[0].get("image", "")
if ".dkr.ecr." not in image or "-openedx:" not in image:
    problems.append(f"the LMS image {image!r} is not from ECR")
# No Docker Hub official image is pulled anonymously: they come through the account's ECR
# pull-through cache of ECR Public (DEVOPS_ECR_PUBLIC_CACHE). Images of other Docker Hub
# publishers (Meilisearch, some plugins') are listed, not failed.
cache = config.get("DEVOPS_ECR_PUBLIC_CACHE", "")
if not cache.endswith(".amazonaws.com/ecr-public"):
    problems.append(f"DEVOPS_ECR_PUBLIC_CACHE is {cache!r}")
hub = set()
for d in docs:
    spec = d.get("spec", {})
    pod = spec.get("template", {}).get("spec", {}) or spec.get("jobTemplate", {}).get("spec", {}).get("template", {}).get("spec", {})
    for container in pod.get("containers", []) + pod.get("initContainers", []):
        image = container.get("image", "")
        if ".dkr.ecr." in image:
            continue
        name = image.removeprefix("docker.io/").split(":")[0]
        if "/" not in name:
            problems.append(f"{d['kind']} {d['metadata']['name']}: {image} is a Docker Hub official image pulled anonymously")
        else:
            hub.add(image)
if hub:
    print(f"images from other registries: {', '.join(sorted(hub))}")
ingresses = [d for d in docs if d["kind"] == "Ingress"]
hosts = {r["host"] for i in ingresses for r in i["spec"]["rules"]}
for key in ("LMS_HOST", "CMS_HOST", "MFE_HOST"):
    if config[key] not in hosts:
        problems.append(f"no Ingress rule for {key} {config[key]}")
namespaces = {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"}
if namespaces != {config["K8S_NAMESPACE"]}:
    problems.append(f"objects outside namespace {config['K8S_NAMESPACE']}: {namespaces}")
found = sorted(n for n in deployments)
print(f"deployments: {', '.join(found)}; must be absent (on AWS): {', '.join(n for n, a in expect_absent.items() if a)}")
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}

# assert_deployed_settings TUTOR_ROOT MANIFESTS CONFIG: what the deploy renders from the cluster's
# values: every Redis client on TLS with the AUTH token, S3 through Pod Identity with ORA2's region
# and endpoint, per-environment cookie names reaching the MFEs, the service account of the pods.
assert_deployed_settings() {
  "$py" - "$1" "$2" "$3" <<'PY'
import os, re, ssl, sys, yaml
from urllib.parse import unquote, urlparse
root, manifests, config_file = sys.argv[1:4]
config = yaml.safe_load(open(config_file))
saved = yaml.safe_load(open(f"{root}/config.yml"))
problems, notes = [], []
token = saved.get("REDIS_PASSWORD", "")
def block(text, start, end_marker):
    i = text.index(start)
    j = text.find(end_marker, i + len(start))
    return text[i : j if j >= 0 else len(text)]
for service in ("lms", "cms"):
    text = open(f"{root}/env/apps/openedx/settings/{service}/production.py").read()
    # Tutor's CACHES dict, then the plugin's ElastiCache block, run on their own.
    caches_src = block(text, "CACHES = {", "\n}\n") + "\n}\n"
    redis_src = block(text, "# ---- devops plugin: Amazon ElastiCache", "\n# ---- devops plugin:")
    scope = {}
    try:
        exec(caches_src, scope)
        exec(redis_src, scope)
    except Exception as error:  # noqa: BLE001
        problems.append(f"{service}: the Redis settings do not run: {error!r}")
        continue
    urls = {f"CACHES[{k}]": v["LOCATION"] for k, v in scope["CACHES"].items() if "redis" in v.get("BACKEND", "")}
    urls["BROKER_URL"] = scope.get("BROKER_URL", "")
    urls["EVENT_BUS_REDIS_CONNECTION_URL"] = scope.get("EVENT_BUS_REDIS_CONNECTION_URL", "")
    for name, url in urls.items():
        parts = urlparse(url)
        if parts.scheme != "rediss" or "ssl_cert_reqs=required" not in parts.query:
            problems.append(f"{service}: {name} {url!r} is not rediss:// with ssl_cert_reqs=required")
        if unquote(parts.password or "") != token or parts.hostname != saved["REDIS_HOST"]:
            problems.append(f"{service}: {name} does not carry the AUTH token and host of the redis secret")
    if (scope.get("BROKER_USE_SSL") or {}).get("ssl_cert_reqs") != ssl.CERT_REQUIRED:
        problems.append(f"{service}: BROKER_USE_SSL does not require a verified certificate (kombu would use CERT_NONE)")
    region = saved["DEVOPS_S3_REGION"]
    for line in (f'AWS_S3_REGION_NAME = "{region}"', f'AWS_S3_ENDPOINT_URL = "https://s3.{region}.amazonaws.com"', "AWS_ACCESS_KEY_ID = None",
                 '_devops_os.environ.setdefault("AWS_DEFAULT_REGION", AWS_S3_REGION_NAME)'):
        if line not in text:
            problems.append(f"{service}: no `{line}` (ORA2's boto3 client reads it)")
    prefix = config.get("DEVOPS_COOKIE_PREFIX")
    if prefix:
        expected = {"lms": f'SESSION_COOKIE_NAME = "{prefix}-sessionid"', "cms": f'SESSION_COOKIE_NAME = "{prefix}-studio_session_id"'}[service]
        names = re.findall(r"^SESSION_COOKIE_NAME = .*$", text, re.M)
        if not names or names[-1] != expected:
            problems.append(f"{service}: the last SESSION_COOKIE_NAME is {names[-1:]}, not {expected}")
        if service == "lms":
            mfe = text.rfind("MFE_CONFIG = {")
            for key in ("ACCESS_TOKEN_COOKIE_NAME", "LANGUAGE_PREFERENCE_COOKIE_NAME", "USER_INFO_COOKIE_NAME"):
                at = text.rfind(f'MFE_CONFIG["{key}"] = ')
                if mfe < 0 or at < mfe:
                    problems.append(f"lms: MFE_CONFIG[{key}] is not set after tutor-mfe's MFE_CONFIG")
            site = text.rfind("FRONTEND_SITE_CONFIG = {")
            for key in ("accessTokenCookieName", "languagePreferenceCookieName", "userInfoCookieName"):
                at = text.rfind(f'FRONTEND_SITE_CONFIG["{key}"] = ')
                if site >= 0 and at < site:
                    problems.append(f"lms: FRONTEND_SITE_CONFIG[{key}] is not set after tutor-mfe's FRONTEND_SITE_CONFIG")
            if f'JWT_AUTH["JWT_AUTH_COOKIE_HEADER_PAYLOAD"] = "{prefix}-edx-jwt-cookie-header-payload"' not in text:
                problems.append("lms: the JWT cookie keeps its default name")
        notes.append(f"cookies `{prefix}-*`")
# Services that read the LMS's JWT cookies must know the environment's names (the learner-record
# MFE calls credentials with them).
prefix = config.get("DEVOPS_COOKIE_PREFIX")
for settings in ("credentials/apps/credentials/settings/production.py", "discovery/apps/settings/tutor/production.py"):
    path = f"{root}/env/plugins/{settings}"
    if prefix and os.path.exists(path):
        if f'JWT_AUTH["JWT_AUTH_COOKIE_SIGNATURE"] = "{prefix}-edx-jwt-cookie-signature"' not in open(path).read():
            problems.append(f"{settings}: the JWT cookies keep their default names under prefix {prefix}")
        else:
            notes.append(f"{settings.split('/')[0]} reads `{prefix}-edx-jwt-*`")
docs = [d for d in yaml.safe_load_all(open(manifests)) if d]
for doc in docs:
    if doc["kind"] not in ("Deployment", "Job"):
        continue
    name = doc["metadata"]["name"]
    account = doc["spec"]["template"]["spec"].get("serviceAccountName")
    wants = name in ("lms", "cms", "lms-worker", "cms-worker", "lms-job", "cms-job")
    if wants and account != "openedx":
        problems.append(f"{doc['kind']} {name} runs as {account!r}, not the Pod Identity account openedx")
    if not wants and account == "openedx":
        problems.append(f"{doc['kind']} {name} gets the media bucket's role but needs no AWS access")
print(", ".join(["Redis over TLS with AUTH in lms and cms, ORA2 region and endpoint, pods as service account openedx"] + list(dict.fromkeys(notes))))
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}

# assert_app_tier ENV MANIFESTS CONFIG ANSWERS: what keeps the LMS and Studio up and scaling
assert_app_tier() {
  "$py" - "$1" "$2" "$3" "$4" <<'PY'
import sys, yaml
env, manifests, config_file, answers_file = sys.argv[1:5]
# The environment as the answers describe it: the first one is production unless it says not,
# and takes 2 LMS pods there, 1 elsewhere, unless lms_min_pods says otherwise.
listed = (yaml.safe_load(open(answers_file)) or {}).get("environments") or [{"name": "prod"}]
index, answer = next((i, e) for i, e in enumerate(listed) if e["name"] == env)
production = bool(answer.get("production", index == 0))
lms_min = int(answer.get("lms_min_pods", 2 if production else 1))
docs = [d for d in yaml.safe_load_all(open(manifests)) if d]
config = yaml.safe_load(open(config_file))
wanted = config.get("POD_AUTOSCALING_EXTRA_SERVICES") or {}
deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
hpas = {d["spec"]["scaleTargetRef"]["name"]: d for d in docs if d["kind"] == "HorizontalPodAutoscaler"}
pdbs = [d for d in docs if d["kind"] == "PodDisruptionBudget"]
problems = []
if "pod-autoscaling" not in (config.get("PLUGINS") or []):
    problems.append("config.yml does not enable the pod-autoscaling plugin")
def pod_labels(name):
    return deployments[name]["spec"]["template"]["metadata"].get("labels") or {}
def container(name):
    containers = deployments[name]["spec"]["template"]["spec"]["containers"]
    return next((c for c in containers if c["name"] == name), containers[0])
for name in ("lms", "cms", "lms-worker", "cms-worker"):
    if name not in wanted:
        problems.append(f"config.yml POD_AUTOSCALING_EXTRA_SERVICES has no entry for {name}")
for name, hpa in hpas.items():
    if name not in deployments:
        problems.append(f"HPA {hpa['metadata']['name']} scales a deployment that does not exist: {name}")
for name in ("lms", "cms", "lms-worker", "cms-worker", *(n for n in ("mfe", "caddy") if n in wanted)):
    hpa = hpas.get(name)
    if name not in deployments:
        continue
    if not hpa:
        problems.append(f"no HorizontalPodAutoscaler for {name}")
        continue
    low, high = hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]
    want = wanted.get(name, {})
    if (low, high) != (want.get("min_replicas"), want.get("max_replicas")):
        problems.append(f"HPA {name} runs {low}..{high} pods, config.yml says {want.get('min_replicas')}..{want.get('max_replicas')}")
    if high <= 1:
        problems.append(f"HPA {name} cannot scale (maxReplicas {high})")
    if production and name in ("lms", "cms") and low < 2:
        problems.append(f"production: HPA {name} has minReplicas {low}; at least 2 keep it up during a node drain")
    if not production and lms_min == 1 and low != 1:
        problems.append(f"non-production: HPA {name} has minReplicas {low}, not 1")
    if "replicas" in deployments[name]["spec"]:
        problems.append(f"deployment {name} sets replicas: {deployments[name]['spec']['replicas']}: every deploy would reset what its HPA chose")
    requests = (container(name).get("resources") or {}).get("requests") or {}
    if name in ("lms", "cms", "lms-worker", "cms-worker"):
        if "cpu" not in requests or "memory" not in requests:
            problems.append(f"container {name} has no CPU and memory requests: {requests}")
        elif (str(requests["cpu"]), str(requests["memory"])) != (str(want.get("cpu_request")), str(want.get("memory_request"))):
            problems.append(f"container {name} requests {requests}, config.yml says {want.get('cpu_request')} / {want.get('memory_request')}")
covered = {}
for pdb in pdbs:
    selector = pdb["spec"]["selector"].get("matchLabels") or {}
    matched = [n for n in deployments if selector.items() <= pod_labels(n).items()]
    if not matched:
        problems.append(f"PDB {pdb['metadata']['name']} selects no pod (selector {selector})")
    for name in matched:
        covered[name] = pdb
        pods = hpas[name]["spec"]["minReplicas"] if name in hpas else deployments[name]["spec"].get("replicas", 1)
        spec = pdb["spec"]
        blocks = ("minAvailable" in spec and int(spec["minAvailable"]) >= pods) or ("maxUnavailable" in spec and int(spec["maxUnavailable"]) < 1)
        if blocks:
            problems.append(f"PDB {pdb['metadata']['name']} over {pods} {name} pod(s) allows no eviction: it blocks every node drain")
        if pods < 2:
            problems.append(f"PDB {pdb['metadata']['name']} covers a single {name} pod: it guarantees nothing and a drain waits on it")
        if spec.get("unhealthyPodEvictionPolicy") != "AlwaysAllow":
            problems.append(f"PDB {pdb['metadata']['name']}: a pod that is not ready would block drains (no unhealthyPodEvictionPolicy: AlwaysAllow)")
if production:
    for name in ("lms", "cms", "caddy"):
        if name not in covered:
            problems.append(f"production: no PodDisruptionBudget selects the {name} pods")
elif lms_min == 1 and pdbs:
    problems.append(f"non-production with one LMS pod: PodDisruptionBudgets {[p['metadata']['name'] for p in pdbs]}, but its services run one pod each")
hosts = {"lms": ("lms", config["LMS_HOST"]), "cms": ("cms", config["CMS_HOST"])}
for name in ("lms", "cms"):
    c = container(name)
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        if probe not in c:
            problems.append(f"container {name} has no {probe}")
            continue
        get = c[probe].get("httpGet")
        if get:
            host = {h["name"].lower(): h["value"] for h in get.get("httpHeaders") or []}.get("host")
            if host not in hosts[name]:
                problems.append(f"{name} {probe}: Host {host!r} is not in ALLOWED_HOSTS {hosts[name]}: Django answers 400")
    if "httpGet" in c.get("livenessProbe", {}):
        problems.append(f"{name} livenessProbe goes through Django: a database outage would restart every pod")
# Graceful shutdown, tolerant readiness, spread over nodes, bounded Celery, undisturbed jobs.
for name in ("lms", "cms", "mfe", "caddy"):
    if name not in deployments:
        continue
    pod = deployments[name]["spec"]["template"]["spec"]
    sleep = ((container(name).get("lifecycle") or {}).get("preStop") or {}).get("sleep", {}).get("seconds")
    if not sleep:
        problems.append(f"container {name} has no preStop sleep: it leaves the endpoints after uWSGI or Caddy got SIGTERM")
    elif pod.get("terminationGracePeriodSeconds", 30) <= sleep:
        problems.append(f"deployment {name}: terminationGracePeriodSeconds {pod.get('terminationGracePeriodSeconds', 30)} does not cover its preStop sleep of {sleep} s")
    ready = container(name).get("readinessProbe") or {}
    if ready and ready.get("periodSeconds", 10) * ready.get("failureThreshold", 3) < 120:
        problems.append(f"{name} readinessProbe gives up after {ready.get('periodSeconds', 10) * ready.get('failureThreshold', 3)} s: an RDS failover (60-120 s) takes every pod out of service")
    spread = {c["topologyKey"]: c for c in pod.get("topologySpreadConstraints") or []}
    host = spread.get("kubernetes.io/hostname")
    if wanted.get(name, {}).get("min_replicas", 1) >= 2:
        if not host or host.get("whenUnsatisfiable") != "DoNotSchedule":
            problems.append(f"{name}: two or more pods but no DoNotSchedule spread over nodes: one node lost may take them all")
    if spread.get("topology.kubernetes.io/zone", {}).get("whenUnsatisfiable", "ScheduleAnyway") != "ScheduleAnyway":
        problems.append(f"{name}: spread over zones is required: a full zone stops pods from starting")
for name in ("lms-worker", "cms-worker"):
    if name not in deployments:
        continue
    args = container(name).get("args") or []
    concurrency = [a for a in args if str(a).startswith("--concurrency=")]
    if concurrency != [f"--concurrency={config.get('DEVOPS_WORKER_CONCURRENCY')}"]:
        problems.append(f"{name}: Celery arguments {concurrency}, config.yml DEVOPS_WORKER_CONCURRENCY {config.get('DEVOPS_WORKER_CONCURRENCY')}: without it Celery forks one process per node CPU")
    if deployments[name]["spec"]["template"]["spec"].get("terminationGracePeriodSeconds", 30) < 120:
        problems.append(f"{name}: terminationGracePeriodSeconds under 120 s: running tasks are killed at every rollout")
jobs = [d for d in docs if d["kind"] == "Job"]
if not jobs:
    problems.append("no init Job in the manifests")
for job in jobs:
    template = job["spec"]["template"]
    if ((template.get("metadata") or {}).get("annotations") or {}).get("karpenter.sh/do-not-disrupt") != "true":
        problems.append(f"job {job['metadata']['name']}: no karpenter.sh/do-not-disrupt on its pods: consolidation may stop a migration")
    if "memory" not in ((template["spec"]["containers"][0].get("resources") or {}).get("requests") or {}):
        problems.append(f"job {job['metadata']['name']}: no memory request (BestEffort, evicted first)")
summary = ", ".join(f"{n} {h['spec']['minReplicas']}-{h['spec']['maxReplicas']}" for n, h in sorted(hpas.items()))
budgets = ", ".join(sorted(f"{p['metadata']['name']} ({next((f'{k} {v}' for k, v in p['spec'].items() if k in ('maxUnavailable', 'minAvailable')), '?')})" for p in pdbs)) or "none"
sizes = ", ".join(f"{n} {container(n)['resources']['requests'].get('cpu')}/{container(n)['resources']['requests'].get('memory')}" for n in ("lms", "cms", "lms-worker", "cms-worker") if n in deployments and container(n).get("resources"))
print(f"{'production' if production else 'non-production'}: HPAs {summary}; PDBs {budgets}; requests {sizes}; probes on lms and cms; no replicas under an HPA; preStop, spread, worker --concurrency={config.get('DEVOPS_WORKER_CONCURRENCY')}, {len(jobs)} jobs do-not-disrupt")
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
}

# assert_plugins ENV MANIFESTS CONFIG ENV_HCL: every plugin host of config.yml is routed by the
# Ingress (TLS and a rule) and in the environment's Terraform hosts (certificate and DNS); every
# plugin image of config.yml runs in some Deployment or Job.
assert_plugins() {
  "$py" - "$@" <<'PY'
import re, sys, yaml
env, manifests, config_file, env_hcl = sys.argv[1:5]
docs = [d for d in yaml.safe_load_all(open(manifests)) if d]
config = yaml.safe_load(open(config_file))
core = {"LMS_HOST", "CMS_HOST", "MFE_HOST", "MEILISEARCH_HOST", "MYSQL_HOST", "MONGODB_HOST", "REDIS_HOST", "SMTP_HOST"}
hosts = {k: v for k, v in config.items() if k.endswith("_HOST") and k not in core}
images = {k: v for k, v in config.items() if "DOCKER_IMAGE" in k and k not in ("DOCKER_IMAGE_OPENEDX", "MFE_DOCKER_IMAGE")}
ingress = [d for d in docs if d.get("kind") == "Ingress"]
tls = {h for i in ingress for t in i["spec"].get("tls", []) for h in t.get("hosts", [])}
rules = {r.get("host") for i in ingress for r in i["spec"].get("rules", [])}
terraform = set(re.findall(r'= "([^"]+)"', open(env_hcl).read()))
problems = []
for key, host in sorted(hosts.items()):
    if host not in tls or host not in rules:
        problems.append(f"{key} {host}: not routed by the Ingress (tls {host in tls}, rule {host in rules})")
    if host not in terraform:
        problems.append(f"{key} {host}: not in terraform env.hcl hosts (no certificate, no DNS)")
running = {c.get("image") for d in docs if d.get("kind") in ("Deployment", "Job", "StatefulSet")
           for c in d["spec"]["template"]["spec"].get("containers", []) + d["spec"]["template"]["spec"].get("initContainers", [])}
for key, image in sorted(images.items()):
    if not any(r and r.split(":")[0] == image.split(":")[0] for r in running):
        problems.append(f"{key} {image}: no Deployment or Job runs it")
for p in problems:
    print(p)
if problems:
    sys.exit(1)
print(f"{len(hosts)} plugin host(s) routed, certified and in DNS; {len(images)} plugin image(s) deployed")
PY
}

envs_accepted=0
for env_dir in "$repo"/ci/tutor-deploy/environments/*/; do
  env="$(basename "$env_dir")"
  config="$env_dir/config.yml"
  [ -f "$config" ] || { fail "$env: no config.yml"; continue; }

  # 1. The committed config.yml alone in a fresh Tutor root, with the local plugin and mfe.
  root="$work/tutor-$env"
  mkdir -p "$root"
  cp "$config" "$root/config.yml"
  export TUTOR_ROOT="$root" TUTOR_PLUGINS_ROOT="$repo/ci/tutor-plugins"
  # The plugins config.yml enables (PLUGINS): each must be installed, the local one found.
  plugins="$("$py" -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1])).get("PLUGINS") or []))' "$config" 2>/dev/null)"
  # shellcheck disable=SC2086 # $plugins is a list of plugin names
  if tutor plugins enable $plugins > "$work/tutor.log" 2>&1 &&
    tutor config save --set DEVOPS_S3_BUCKET=check-media-bucket >> "$work/tutor.log" 2>&1; then
    pass "$env: tutor $(tutor --version | awk '{print $NF}') accepts config.yml with the plugins $plugins"
    envs_accepted=$((envs_accepted + 1))
  else
    fail "$env: tutor config save"
    grep -v 'running Tutor as root' "$work/tutor.log" | sed 's/^/     /' >&2
    continue
  fi
  if "$py" -m py_compile "$root"/env/apps/openedx/settings/lms/*.py "$root"/env/apps/openedx/settings/cms/*.py 2> "$work/pyc.log"; then
    pass "$env: rendered LMS and CMS settings compile"
  else
    fail "$env: rendered settings do not compile"
    sed 's/^/     /' "$work/pyc.log" >&2
  fi
  if kubectl kustomize "$root/env" > "$work/$env.yaml" 2> "$work/kz.log"; then
    pass "$env: kubectl kustomize builds env/ ($(grep -c '^kind:' "$work/$env.yaml") objects)"
  else
    fail "$env: kubectl kustomize"
    sed 's/^/     /' "$work/kz.log" >&2
    continue
  fi
  if assert_manifests "$env" "$work/$env.yaml" "$config" > "$work/am.log" 2>&1; then
    pass "$env: $(head -n1 "$work/am.log")"
  else
    fail "$env: manifests"
    sed 's/^/     /' "$work/am.log" >&2
  fi
  if assert_app_tier "$env" "$work/$env.yaml" "$config" "$answers" > "$work/at.log" 2>&1; then
    pass "$env: $(head -n1 "$work/at.log")"
  else
    fail "$env: app tier"
    sed 's/^/     /' "$work/at.log" >&2
  fi

  if assert_plugins "$env" "$work/$env.yaml" "$config" "$repo/terraform/environments/$env/env.hcl" > "$work/ap.log" 2>&1; then
    pass "$env: $(tail -n1 "$work/ap.log")"
  else
    fail "$env: plugins"
    sed 's/^/     /' "$work/ap.log" >&2
  fi

  # 2. The deploy helper, with stand-in cluster secrets.
  export TUTOR_ROOT="$work/deploy-$env"
  tutor_version="$(tutor --version | awk '{print $NF}')"
  tag="$tutor_version-000000000000"
  if "$repo/scripts/tutor-deploy.sh" --render-only --secrets-from "$fake" --image-tag "$tag" "$env" > "$work/deploy.log" 2>&1 &&
    kubectl kustomize "$TUTOR_ROOT/env" > "$work/$env-deploy.yaml" 2>> "$work/deploy.log" &&
    grep -q "image: .*-openedx:$tag\$" "$work/$env-deploy.yaml" &&
    grep -q "image: .*-openedx-mfe:$tag\$" "$work/$env-deploy.yaml" &&
    grep -q '"check-media-bucket"' "$TUTOR_ROOT/env/apps/openedx/settings/lms/production.py" &&
    "$py" -m py_compile "$TUTOR_ROOT/env/apps/openedx/settings/lms/production.py" 2>> "$work/deploy.log"; then
    pass "$env: scripts/tutor-deploy.sh --render-only: cluster values and image tags reach the manifests and settings"
  else
    fail "$env: scripts/tutor-deploy.sh --render-only"
    grep -v 'running Tutor as root' "$work/deploy.log" | sed 's/^/     /' >&2
  fi
  if assert_deployed_settings "$TUTOR_ROOT" "$work/$env-deploy.yaml" "$config" > "$work/ds.log" 2>&1; then
    pass "$env: deployed settings: $(head -n1 "$work/ds.log")"
  else
    fail "$env: deployed settings"
    sed 's/^/     /' "$work/ds.log" >&2
  fi
  if TUTOR_ROOT="$work/deploy-other-$env" "$repo/scripts/tutor-deploy.sh" --render-only --secrets-from "$fake" \
    --image-tag 0.0.1-000000000000 "$env" > "$work/other.log" 2>&1; then
    fail "$env: scripts/tutor-deploy.sh accepted an image tag that another Tutor version built"
  elif grep -q "was not built by the installed Tutor $tutor_version" "$work/other.log"; then
    pass "$env: scripts/tutor-deploy.sh refuses an image built by another Tutor version"
  else
    fail "$env: scripts/tutor-deploy.sh failed on a foreign tag for another reason"
    tail -n 20 "$work/other.log" | sed 's/^/     /' >&2
  fi

  # 3. The deploy helper against a simulated cluster (.ci/fake-kubectl.py) and AWS
  #    (.ci/fake-aws.py): first deploy, second deploy, a Tutor upgrade, release upgrades (the
  #    previous release, a skip, a downgrade, a platform deployed before releases were recorded),
  #    a rebuilt cluster restored from Secrets Manager, and the guard against losing Tutor's
  #    generated secrets. Environments differ only in their values, so the first one is enough.
  [ "$envs_accepted" -eq 1 ] || continue
  cluster="$work/cluster-$env"
  mkdir -p "$cluster/secrets" "$cluster/bin" "$cluster/aws"
  "$py" - "$fake" "$cluster/secrets" <<'PY'
import base64, json, os, sys
source, target = sys.argv[1:3]
for secret in os.listdir(source):
    data = {k: base64.b64encode(open(os.path.join(source, secret, k), "rb").read()).decode() for k in os.listdir(os.path.join(source, secret))}
    json.dump({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": secret}, "data": data}, open(os.path.join(target, secret + ".json"), "w"))
PY
  for tool in kubectl aws; do
    printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$py" "$ci_dir/fake-$tool.py" > "$cluster/bin/$tool"
    chmod +x "$cluster/bin/$tool"
  done
  # The real Tutor, its calls logged among kubectl's (the order of upgrade and start is checked).
  printf '#!/bin/sh\necho "tutor $*" >> "%s/calls.log"\nexec "%s" "$@"\n' "$cluster" "$(command -v tutor)" > "$cluster/bin/tutor"
  chmod +x "$cluster/bin/tutor"
  ln -s "$py" "$cluster/bin/python"
  # The release list the deploy script carries, and the release the installed Tutor deploys.
  releases="$(sed -n 's/^RELEASES="\(.*\)"$/\1/p' "$repo/scripts/tutor-deploy.sh" | tr ' ' '\n')"
  openedx_release="$(echo "$releases" | sed -n "s/^\(.*\):${tutor_version%%.*}\$/\1/p")"
  prefix="$(sed -n 's/^ *resource_prefix *= *"\(.*\)"$/\1/p' "$repo/terraform/environments/$env/env.hcl")"
  aws_copy="$cluster/aws/secrets/${prefix}%tutor-generated.json"
  simulate() { # simulate TUTOR_ROOT ARGS...: scripts/tutor-deploy.sh against the simulated cluster
    local root="$1"
    shift
    : > "$cluster/calls.log"
    TUTOR_ROOT="$root" FAKE_CLUSTER="$cluster" REAL_KUBECTL="$(command -v kubectl)" PATH="$cluster/bin:$PATH" \
      "$repo/scripts/tutor-deploy.sh" "$@" "$env"
  }
  value() { "$py" -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$@"; }
  same_value() { [ "$(value "$1/config.yml" "$3")" = "$(value "$2/config.yml" "$3")" ]; }
  # recorded KEY: a key of ConfigMap openedx-release
  recorded() { "$py" -c 'import json, sys; print(json.load(open(sys.argv[1]))["data"][sys.argv[2]])' "$cluster/configmaps/openedx-release.json" "$1" 2>/dev/null; }
  record_release() { # record_release NAME: a platform whose ConfigMap says NAME
    "$py" -c 'import json, sys; json.dump({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "openedx-release"}, "data": {"release": sys.argv[2]}}, open(sys.argv[1], "w"))' \
      "$cluster/configmaps/openedx-release.json" "$1"
  }
  # copy_matches_cluster: the Secrets Manager copy holds exactly the cluster's tutor-generated
  copy_matches_cluster() {
    "$py" - "$aws_copy" "$cluster/secrets/tutor-generated.json" <<'PY'
import base64, json, sys
copy = json.load(open(sys.argv[1]))
data = json.load(open(sys.argv[2]))["data"]
sys.exit(0 if copy and copy == {k: base64.b64decode(v).decode() for k, v in data.items()} else 1)
PY
  }
  show() { grep -v 'running Tutor as root' "$work/sim.log" | tail -n 30 | sed 's/^/     /' >&2; }
  # deploy_order_ok: the release is recorded before the manifests are applied, and the old
  # ConfigMaps are pruned only after every rollout (pods of the old ReplicaSet still mount them).
  deploy_order_ok() {
    "$py" - "$cluster/calls.log" <<'PY'
import sys
calls = [line.strip() for line in open(sys.argv[1])]
def first(test):
    return next((i for i, c in enumerate(calls) if test(c)), None)
record = first(lambda c: "create configmap openedx-release" in c or ("apply --server-side" in c and "tutor-deploy" in c))
start = first(lambda c: c == "tutor k8s start")
rollouts = [i for i, c in enumerate(calls) if " rollout status " in f" {c} "]
prune = first(lambda c: c == "tutor k8s start --prune-configmaps")
ok = None not in (record, start, prune) and rollouts and record < start < min(rollouts) and max(rollouts) < prune
sys.exit(0 if ok else 1)
PY
  }

  if simulate "$work/sim1-$env" --skip-init --image-tag "$tutor_version-111111111111" > "$work/sim.log" 2>&1 &&
    [ -f "$cluster/secrets/tutor-generated.json" ] &&
    [ -f "$aws_copy" ] && copy_matches_cluster &&
    grep -q "^aws secretsmanager put-secret-value .*--secret-id $prefix/tutor-generated --secret-string file://" "$cluster/calls.log" &&
    ! grep -q "tutor k8s upgrade" "$cluster/calls.log" &&
    [ "$(recorded release)" = "$openedx_release" ] && [ "$(recorded tutor_version)" = "$tutor_version" ] &&
    grep -q "image: .*-openedx:$tutor_version-111111111111\$" "$cluster/applied.yaml" &&
    deploy_order_ok &&
    simulate "$work/sim2-$env" --skip-init >> "$work/sim.log" 2>&1 &&
    ! grep -q "put-secret-value" "$cluster/calls.log" &&
    ! grep -q "pruned configmap/openedx-release" "$cluster/calls.log" &&
    grep -q "image: .*-openedx:$tutor_version-111111111111\$" "$cluster/applied.yaml" &&
    same_value "$work/sim1-$env" "$work/sim2-$env" OPENEDX_SECRET_KEY &&
    same_value "$work/sim1-$env" "$work/sim2-$env" JWT_RSA_PRIVATE_KEY &&
    [ "$(value "$work/sim2-$env/config.yml" OPENEDX_MYSQL_PASSWORD | wc -c)" -gt 30 ]; then
    pass "$env: scripts/tutor-deploy.sh on a simulated cluster: first deploy stores Tutor's secrets in the cluster and Secrets Manager ($prefix/tutor-generated, from a file), records $openedx_release before applying, prunes old ConfigMaps only after the rollout; the next reuses them, the running image and the record"
  else
    fail "$env: scripts/tutor-deploy.sh on a simulated cluster"
    show
  fi
  # A Tutor upgrade: the running image was built by another Tutor version. The deploy must not
  # keep it (new configuration on an old image) but take the newest image of this version.
  sed -i 's/\(image: .*-openedx\(-mfe\)\{0,1\}\):.*$/\1:0.0.1-999999999999/' "$cluster/applied.yaml"
  printf '0.0.1-888888888888\tbuildcache-%s-222222222222\t%s-222222222222\t%s-111111111111\n' \
    "$tutor_version" "$tutor_version" "$tutor_version" > "$cluster/aws/ecr-tags.txt"
  if simulate "$work/sim4-$env" --skip-init > "$work/sim.log" 2>&1 &&
    grep -q "image: .*-openedx:$tutor_version-222222222222\$" "$cluster/applied.yaml" &&
    grep -q "image: .*-openedx-mfe:$tutor_version-222222222222\$" "$cluster/applied.yaml" &&
    grep -q "built by another Tutor version" "$work/sim.log"; then
    pass "$env: scripts/tutor-deploy.sh after a Tutor upgrade replaces the running image with the newest one this Tutor built"
  else
    fail "$env: scripts/tutor-deploy.sh after a Tutor upgrade"
    show
  fi
  # Release upgrades. The installed Tutor deploys $openedx_release; the one before it in the
  # release list runs: `tutor k8s upgrade --from=<it>` runs before `tutor k8s start`.
  previous="$(echo "$releases" | grep -B1 "^$openedx_release:" | sed -n '1s/:.*//p')"
  previous_major="$(echo "$releases" | grep -B1 "^$openedx_release:" | sed -n '1s/.*://p')"
  before_previous="$(echo "$releases" | grep -B2 "^$openedx_release:" | sed -n '1s/:.*//p')"
  next_release="$(echo "$releases" | grep -A1 "^$openedx_release:" | sed -n '2s/:.*//p')"
  record_release "$previous"
  if simulate "$work/sim5-$env" --skip-init > "$work/sim.log" 2>&1 &&
    grep -n "^tutor k8s upgrade --from=$previous\$" "$cluster/calls.log" | cut -d: -f1 > "$work/upgrade.line" &&
    grep -n "^tutor k8s start" "$cluster/calls.log" | head -n1 | cut -d: -f1 > "$work/start.line" &&
    [ -s "$work/upgrade.line" ] && [ "$(cat "$work/upgrade.line")" -lt "$(cat "$work/start.line")" ] &&
    [ "$(recorded release)" = "$openedx_release" ]; then
    pass "$env: scripts/tutor-deploy.sh with $previous running: tutor k8s upgrade --from=$previous before tutor k8s start, then records $openedx_release"
  else
    fail "$env: scripts/tutor-deploy.sh upgrade from $previous"
    show
  fi
  for refused in "$before_previous:one release at a time. Upgrade to $previous first" "$next_release:a downgrade is not possible"; do
    record_release "${refused%%:*}"
    if simulate "$work/sim6-$env" --skip-init > "$work/sim.log" 2>&1; then
      fail "$env: scripts/tutor-deploy.sh deployed $openedx_release over ${refused%%:*}"
    elif grep -q "Open edX ${refused%%:*} runs in .*deploys.*$openedx_release.*${refused#*:}" "$work/sim.log" &&
      ! grep -q "^apply\|^tutor k8s\|put-secret-value" "$cluster/calls.log" &&
      [ "$(recorded release)" = "${refused%%:*}" ]; then
      pass "$env: scripts/tutor-deploy.sh with ${refused%%:*} running refuses $openedx_release before applying anything: $(grep -o "${refused#*:}" "$work/sim.log" | head -n1)"
    else
      fail "$env: scripts/tutor-deploy.sh with ${refused%%:*} running failed for another reason"
      show
    fi
  done
  # Deployed before releases were recorded: the running image tag's Tutor major tells the release;
  # a tag that does not is refused until --running-release says it.
  rm -f "$cluster/configmaps/openedx-release.json"
  sed -i "s/\(image: .*-openedx\(-mfe\)\{0,1\}\):.*\$/\1:$previous_major.0.1-999999999999/" "$cluster/applied.yaml"
  if simulate "$work/sim7-$env" --skip-init > "$work/sim.log" 2>&1 &&
    grep -q "^tutor k8s upgrade --from=$previous\$" "$cluster/calls.log" &&
    [ "$(recorded release)" = "$openedx_release" ]; then
    pass "$env: scripts/tutor-deploy.sh without a record, image $previous_major.0.1-*: upgrades from $previous"
  else
    fail "$env: scripts/tutor-deploy.sh without a record"
    show
  fi
  rm -f "$cluster/configmaps/openedx-release.json"
  sed -i 's/\(image: .*-openedx\(-mfe\)\{0,1\}\):.*$/\1:latest/' "$cluster/applied.yaml"
  if simulate "$work/sim8-$env" --skip-init > "$work/sim.log" 2>&1; then
    fail "$env: scripts/tutor-deploy.sh guessed the release of an image tagged latest"
  elif grep -q "pass --running-release NAME" "$work/sim.log" && ! grep -q "^apply" "$cluster/calls.log" &&
    simulate "$work/sim8-$env" --skip-init --running-release "$openedx_release" > "$work/sim.log" 2>&1 &&
    ! grep -q "tutor k8s upgrade" "$cluster/calls.log" && [ "$(recorded release)" = "$openedx_release" ]; then
    pass "$env: scripts/tutor-deploy.sh without a record and an image tag that tells no release: refused, then --running-release $openedx_release deploys"
  else
    fail "$env: scripts/tutor-deploy.sh --running-release"
    show
  fi
  # A rebuilt cluster: tutor-generated is gone, Secrets Manager has the copy: restored, not regenerated.
  rm -f "$cluster/secrets/tutor-generated.json"
  if simulate "$work/sim9-$env" --skip-init > "$work/sim.log" 2>&1 &&
    grep -q "restoring it from Secrets Manager $prefix/tutor-generated" "$work/sim.log" &&
    [ -f "$cluster/secrets/tutor-generated.json" ] && copy_matches_cluster &&
    ! grep -q "put-secret-value" "$cluster/calls.log" &&
    same_value "$work/sim1-$env" "$work/sim9-$env" OPENEDX_SECRET_KEY &&
    same_value "$work/sim1-$env" "$work/sim9-$env" JWT_RSA_PRIVATE_KEY &&
    same_value "$work/sim1-$env" "$work/sim9-$env" OPENEDX_MYSQL_PASSWORD; then
    pass "$env: scripts/tutor-deploy.sh on a rebuilt cluster restores tutor-generated from Secrets Manager (same SECRET_KEY, JWT key, MySQL password)"
  else
    fail "$env: scripts/tutor-deploy.sh on a rebuilt cluster"
    show
  fi
  rm -f "$cluster/secrets/tutor-generated.json" "$aws_copy"
  if simulate "$work/sim3-$env" --skip-init > "$work/sim.log" 2>&1; then
    fail "$env: scripts/tutor-deploy.sh regenerated secrets of a deployed platform"
  elif grep -q "tutor-generated is missing but Open edX is deployed" "$work/sim.log" && ! grep -q "^apply" "$cluster/calls.log"; then
    pass "$env: scripts/tutor-deploy.sh refuses to regenerate the secrets of a deployed platform without a copy in Secrets Manager"
  else
    fail "$env: scripts/tutor-deploy.sh failed for another reason"
    show
  fi
  # Asked to regenerate anyway: new secrets, but the running platform's ID (in every Deployment's
  # immutable selector) stays, or `tutor k8s start` would fail with the Services moved to no pod.
  running_id="$("$py" -c 'import sys, yaml; print(next(d for d in yaml.safe_load_all(open(sys.argv[1])) if d and d["kind"] == "Deployment" and d["metadata"]["name"] == "lms")["metadata"]["labels"]["app.kubernetes.io/instance"])' "$cluster/applied.yaml")"
  if simulate "$work/sim10-$env" --skip-init --regenerate-secrets > "$work/sim.log" 2>&1 &&
    [ "openedx-$(value "$work/sim10-$env/config.yml" ID)" = "$running_id" ] &&
    ! same_value "$work/sim1-$env" "$work/sim10-$env" OPENEDX_SECRET_KEY; then
    pass "$env: scripts/tutor-deploy.sh --regenerate-secrets: new secrets, the running instance label $running_id kept"
  else
    fail "$env: scripts/tutor-deploy.sh --regenerate-secrets changed the platform's ID or kept its secrets"
    show
  fi
  # Terraform never created the Secrets Manager secret: refused before anything is applied.
  touch "$cluster/aws/no-secret"
  if simulate "$work/sim11-$env" --skip-init > "$work/sim.log" 2>&1; then
    fail "$env: scripts/tutor-deploy.sh deployed without the Secrets Manager secret"
  elif grep -q "apply terraform/environments/$env/github-deploy-role first" "$work/sim.log" &&
    ! grep -q "^apply\|^tutor k8s" "$cluster/calls.log"; then
    pass "$env: scripts/tutor-deploy.sh without its Secrets Manager secret: refused, naming the unit to apply"
  else
    fail "$env: scripts/tutor-deploy.sh without its Secrets Manager secret failed for another reason"
    show
  fi
  rm -f "$cluster/aws/no-secret"
done
unset TUTOR_ROOT TUTOR_PLUGINS_ROOT

# ---- Build helper (stand-in docker) -----------------------------------------------------------
if [ -x "$repo/scripts/tutor-build.sh" ]; then
  mkdir -p "$work/bin"
  printf '#!/bin/sh\necho "docker $*" >> "%s"\n' "$work/docker.log" > "$work/bin/docker"
  # ECR answers a listing with the tags of the newest image (an image and the build cache of its
  # build), and a look-up of one tag (`--image-ids`) as the real CLI does for a tag it lacks.
  tutor_version="$(tutor --version | awk '{print $NF}')"
  cat > "$work/bin/aws" <<AWS
#!/bin/sh
case " \$* " in
  *" --image-ids "*)
    echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: not found" >&2
    exit 254 ;;
esac
printf 'buildcache-%s-aaaaaaaaaaaa\t%s-aaaaaaaaaaaa\n' "$tutor_version" "$tutor_version"
AWS
  # A stand-in git: a fetch records what was asked (and whether the token went with it) and
  # the checkout gives a package, or a theme, to build from.
  cat > "$work/bin/git" <<GIT
#!/bin/sh
dir=.
[ "\$1" = -C ] && { dir="\$2"; shift 2; }
case "\$1" in
  init) mkdir -p "\$dir/.git" ;;
  fetch) shift; [ "\$1" = -q ] && shift; [ "\$1" = --depth ] && shift 2
    echo "fetch \$1 \$2 token=\${GIT_CONFIG_KEY_0:-none}" >> "$work/git.log" ;;
  checkout) mkdir -p "\$dir/lms/static" "\$dir/packages/sub" &&
    printf 'from setuptools import setup\nsetup()\n' > "\$dir/setup.py" &&
    printf 'from setuptools import setup\nsetup(name="check-sub")\n' > "\$dir/packages/sub/setup.py" ;;
  rev-parse) echo 0123456789ab ;;
  *) exec /usr/bin/git -C "\$dir" "\$@" ;;
esac
GIT
  chmod +x "$work/bin/docker" "$work/bin/aws" "$work/bin/git"
  copy="$work/build-repo"
  cp -R "$repo" "$copy"
  echo "check-xblock==1.0.0  # added by check-pipeline" >> "$copy/ci/tutor-build/requirements.txt"
  echo "git+https://github.com/example/monorepo.git@v2.0#egg=check-sub&subdirectory=packages/sub" >> "$copy/ci/tutor-build/requirements.txt"
  mkdir -p "$copy/ci/tutor-build/themes/check-theme/lms/static"
  # Every image the script builds: the openedx and MFE images and those of the plugins.
  images="$(sed -n 's/^# IMAGE: \([^(]*\) (.*/\1/p' "$repo/scripts/tutor-build.sh" | tr -d ',')"
  [ -n "$images" ] || fail "scripts/tutor-build.sh names no image in its usage (# IMAGE: ...)"
  for image in $images; do
    if TUTOR_ROOT="$work/build-$image" PATH="$work/bin:$PATH" PRIVATE_REPOSITORIES_TOKEN=check-token \
      "$copy/scripts/tutor-build.sh" --push --tag check-build "$image" > "$work/build.log" 2>&1 &&
      grep "buildx build" "$work/docker.log" | tail -n1 > "$work/docker.last" &&
      grep -q -- "--tag=[^ ]*\.dkr\.ecr\.[^ ]*-openedx\(-$image\)\{0,1\}:check-build " "$work/docker.last" &&
      grep -q -- "--output=type=image,push=true" "$work/docker.last" &&
      grep -q -- "--cache-from=type=registry,ref=[^ ]*:buildcache-$tutor_version-aaaaaaaaaaaa" "$work/docker.last" &&
      grep -q -- "--cache-to=type=registry,ref=[^ ]*:buildcache-check-build,mode=max" "$work/docker.last"; then
      pass "scripts/tutor-build.sh $image: buildx pushes the ECR tag, reads the newest build cache, writes its own"
    else
      fail "scripts/tutor-build.sh $image"
      cat "$work/build.log" "$work/docker.log" 2>/dev/null | grep -v 'running Tutor as root' | sed 's/^/     /' >&2
    fi
  done
  if grep -q "check-xblock==1.0.0" "$work/build-openedx/env/build/openedx/Dockerfile" &&
    [ -d "$work/build-openedx/env/build/openedx/themes/check-theme" ]; then
    pass "scripts/tutor-build.sh: requirements.txt and themes/ reach the openedx build context"
  else
    fail "scripts/tutor-build.sh: requirements or themes missing from the build context"
  fi
  # The theme repository and the git requirements: fetched at their refs (the token only for
  # github.com), the theme into the themes, each package mounted so that the Dockerfile
  # pip-installs it, and no git URL left for pip.
  theme_repository="$(sed -n 's/^DEVOPS_THEME_REPOSITORY: //p' "$repo/ci/tutor-build/config.yml")"
  if [ -n "$theme_repository" ]; then
    theme_name="$(basename "$theme_repository" .git)"
    if grep -q "^fetch $theme_repository " "$work/git.log" &&
      [ -f "$work/build-openedx/env/build/openedx/themes/$theme_name/setup.py" ] &&
      [ ! -d "$work/build-openedx/env/build/openedx/themes/$theme_name/.git" ]; then
      pass "scripts/tutor-build.sh: the theme repository is fetched into the openedx build context as $theme_name"
    else
      fail "scripts/tutor-build.sh: the theme repository $theme_repository is not in the build context"
    fi
  fi
  while read -r url; do
    name="$(basename "${url%%@*}" .git)"
    if grep -q "^fetch ${url%%@*} " "$work/git.log" &&
      grep -q "mnt-devops-pip-$name" "$work/build-openedx/env/build/openedx/Dockerfile" &&
      ! grep -q "install '.*git+" "$work/build-openedx/env/build/openedx/Dockerfile"; then
      pass "scripts/tutor-build.sh: $url is fetched and pip-installed from a mounted directory"
    else
      fail "scripts/tutor-build.sh: $url is not installed from a mounted clone"
      grep -n "mnt-\|install '" "$work/build-openedx/env/build/openedx/Dockerfile" | sed 's/^/     /' >&2
    fi
  done < <(sed -n 's/^git+\(https:[^ #]*\).*/\1/p' "$repo/ci/tutor-build/requirements.txt")
  # A package keeps its .git (setuptools-scm reads versions from it) and its tag; with
  # #subdirectory= only that folder is mounted.
  if grep -q "^fetch https://github.com/example/monorepo.git refs/tags/v2.0:refs/tags/v2.0 " "$work/git.log" &&
    grep -q "mnt-devops-pip-check-sub" "$work/build-openedx/env/build/openedx/Dockerfile" &&
    [ -f "$work/build-openedx/sources/devops-pip-check-sub/setup.py" ] &&
    grep -q 'check-sub' "$work/build-openedx/sources/devops-pip-check-sub/setup.py" &&
    [ ! -e "$work/build-openedx/sources/.repository-check-sub" ]; then
    pass "scripts/tutor-build.sh: a #subdirectory= requirement mounts that folder, fetched by its tag"
  else
    fail "scripts/tutor-build.sh: the #subdirectory= requirement is not the mounted package"
    find "$work/build-openedx/sources" -maxdepth 2 2>&1 | sed 's/^/     /' >&2
  fi
  for mounted in "$work"/build-openedx/sources/devops-pip-*/; do
    [ -d "$mounted/.git" ] || [ "$(basename "$mounted")" = devops-pip-check-sub ] ||
      fail "scripts/tutor-build.sh: $(basename "$mounted") lost its .git (versions from git tags break)"
  done
  if grep -v "token=none" "$work/git.log" 2>/dev/null | grep -qv "^fetch https://github.com/"; then
    fail "scripts/tutor-build.sh sent the token to a host other than github.com"
  fi
fi

echo "check-pipeline: ${#workflows[@]} workflows, ${#scripts[@]} scripts, ${#yamls[@]} YAML files," \
  "$envs_accepted environment(s) accepted by Tutor, $failures failure(s), $((SECONDS - started))s"
[ "$failures" -eq 0 ]
