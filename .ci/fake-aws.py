"""A stand-in AWS CLI for .ci/check-pipeline.sh: the calls scripts/tutor-deploy.sh makes, answered
from $FAKE_CLUSTER/aws/. Secrets Manager: secrets/<secret id with / as %>.json holds the
SecretString (no file: Terraform created the secret without a value, and the real service answers
ResourceNotFoundException); a value may only arrive as `--secret-string file://...`, never on the
command line; `describe-secret` fails when aws/no-secret exists. ECR: `describe-images` prints the tags in ecr-tags.txt. Every call is appended to
$FAKE_CLUSTER/calls.log as `aws ...`."""
import json, os, sys

state = os.path.join(os.environ["FAKE_CLUSTER"], "aws")
args = sys.argv[1:]
with open(os.path.join(os.environ["FAKE_CLUSTER"], "calls.log"), "a") as log:
    log.write("aws " + " ".join(args) + "\n")


def option(name):
    for i, arg in enumerate(args):
        if arg == name and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith(name + "="):
            return arg.split("=", 1)[1]
    return None


def fail(code, message, status=254):
    sys.stderr.write(f"\nAn error occurred ({code}) when calling the {message}\n")
    sys.exit(status)


def secret_path(secret_id):
    return os.path.join(state, "secrets", secret_id.replace("/", "%") + ".json")


if args[:2] == ["secretsmanager", "describe-secret"]:
    # The secret exists unless aws/no-secret says Terraform never created it.
    if os.path.exists(os.path.join(state, "no-secret")):
        fail("ResourceNotFoundException", "DescribeSecret operation: Secrets Manager can't find the specified secret.")
    print(option("--secret-id"))
    sys.exit(0)
if args[:2] == ["secretsmanager", "get-secret-value"]:
    path = secret_path(option("--secret-id"))
    if not os.path.exists(path):
        fail("ResourceNotFoundException", "GetSecretValue operation: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT")
    if option("--query") != "SecretString" or option("--output") != "text":
        sys.exit("fake aws: get-secret-value is only answered with --query SecretString --output text")
    sys.stdout.write(open(path).read() + "\n")
    sys.exit(0)
if args[:2] == ["secretsmanager", "put-secret-value"]:
    value = option("--secret-string") or ""
    if not value.startswith("file://"):
        sys.exit("fake aws: put-secret-value got its value on the command line, not from a file://")
    source = value[len("file://"):]
    if os.stat(source).st_mode & 0o077:
        sys.exit(f"fake aws: {source} is readable by others than its owner")
    os.makedirs(os.path.join(state, "secrets"), exist_ok=True)
    json.load(open(source))  # a JSON object, as the deploy writes it
    secret_id = option("--secret-id")
    open(secret_path(secret_id), "w").write(open(source).read())
    print(json.dumps({"ARN": f"arn:aws:secretsmanager:{option('--region')}:000000000000:secret:{secret_id}-abcdef", "Name": secret_id, "VersionId": "1"}))
    sys.exit(0)
if args[:2] == ["ecr", "describe-images"]:
    path = os.path.join(state, "ecr-tags.txt")
    sys.stdout.write(open(path).read() if os.path.exists(path) else "\n")
    sys.exit(0)
sys.stderr.write(f"fake aws: unsupported call: {' '.join(args)}\n")
sys.exit(3)
