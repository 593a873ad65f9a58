"""A stand-in kubectl for .ci/check-pipeline.sh: just enough of a cluster (secrets, ConfigMaps,
applied manifests) to run scripts/tutor-deploy.sh end to end without one. State lives in
$FAKE_CLUSTER: secrets/<name>.json (Secret objects), configmaps/<name>.json (ConfigMaps applied
outside the manifests) and applied.yaml (the last `apply --kustomize`). As the real kubectl, a
client-side `apply` marks a ConfigMap with the last-applied annotation and `apply --prune
--prune-allowlist core/v1/ConfigMap` deletes the marked ConfigMaps the manifests lack (logged as
`pruned configmap/<name>`); `apply --server-side` leaves no mark. Offline subcommands
(`kustomize`, `create --dry-run=client`) go to the real kubectl in $REAL_KUBECTL. Every call is
appended to $FAKE_CLUSTER/calls.log."""
import base64, json, os, subprocess, sys

import yaml

state = os.environ["FAKE_CLUSTER"]
real = os.environ["REAL_KUBECTL"]
args = sys.argv[1:]
with open(os.path.join(state, "calls.log"), "a") as log:
    log.write(" ".join(args) + "\n")


def option(name, default=None):
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return default


words = [a for i, a in enumerate(args) if not a.startswith("-") and not (i > 0 and args[i - 1] in ("--namespace", "-n", "--output", "-o", "--filename", "-f", "--kustomize", "-k", "--selector", "-l", "--timeout", "--prune-allowlist", "--from-file"))]


def applied_deployments():
    path = os.path.join(state, "applied.yaml")
    if not os.path.exists(path):
        return set()
    return {d["metadata"]["name"] for d in yaml.safe_load_all(open(path)) if d and d["kind"] == "Deployment"}


def not_found(kind, name):
    sys.stderr.write(f'Error from server (NotFound): {kind} "{name}" not found\n')
    sys.exit(1)


if words[:1] in (["kustomize"], ["version"]) or (words[:1] == ["create"] and "--dry-run=client" in args):
    os.execv(real, [real] + args)
if words[:2] in (["get", "secret"], ["get", "configmap"]):
    kind = words[1] + "s"
    path = os.path.join(state, kind, words[2] + ".json")
    if not os.path.exists(path):
        not_found(kind, words[2])
    sys.stdout.write(open(path).read())
    sys.exit(0)
if words[:2] == ["get", "namespaces"]:
    sys.exit(0)
if words[:2] == ["get", "deployment"]:
    if words[2] not in applied_deployments():
        not_found("deployments.apps", words[2])
    if option("--output", "").startswith("jsonpath"):
        docs = yaml.safe_load_all(open(os.path.join(state, "applied.yaml")))
        dep = next(d for d in docs if d and d["kind"] == "Deployment" and d["metadata"]["name"] == words[2])
        if "metadata.labels" in option("--output"):
            sys.stdout.write(dep["metadata"]["labels"]["app.kubernetes.io/instance"])
        else:
            sys.stdout.write(dep["spec"]["template"]["spec"]["containers"][0]["image"])
    sys.exit(0)
if words[:1] == ["apply"]:
    if option("--kustomize"):
        rendered = subprocess.run([real, "kustomize", option("--kustomize")], check=True, capture_output=True, text=True).stdout
        open(os.path.join(state, "applied.yaml"), "w").write(rendered)
        if "--prune" in args and option("--prune-allowlist") == "core/v1/ConfigMap":
            kept = {d["metadata"]["name"] for d in yaml.safe_load_all(rendered) if d and d["kind"] == "ConfigMap"}
            folder = os.path.join(state, "configmaps")
            for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
                doc = json.load(open(os.path.join(folder, name)))
                marked = "kubectl.kubernetes.io/last-applied-configuration" in (doc["metadata"].get("annotations") or {})
                if marked and doc["metadata"]["name"] not in kept:
                    os.remove(os.path.join(folder, name))
                    with open(os.path.join(state, "calls.log"), "a") as log:
                        log.write(f"pruned configmap/{doc['metadata']['name']}\n")
        sys.exit(0)
    if option("--filename") == "-":
        for doc in yaml.safe_load_all(sys.stdin):
            if doc and doc["kind"] in ("Secret", "ConfigMap"):
                folder = os.path.join(state, "secrets" if doc["kind"] == "Secret" else "configmaps")
                os.makedirs(folder, exist_ok=True)
                if "--server-side" not in args:
                    doc["metadata"].setdefault("annotations", {})["kubectl.kubernetes.io/last-applied-configuration"] = json.dumps(doc)
                json.dump(doc, open(os.path.join(folder, doc["metadata"]["name"] + ".json"), "w"))
        sys.exit(0)
if words[:2] == ["rollout", "status"]:
    sys.exit(0 if words[2].split("/", 1)[1] in applied_deployments() else 1)
sys.stderr.write(f"fake kubectl: unsupported call: {' '.join(args)}\n")
sys.exit(3)
