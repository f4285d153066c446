"""Signs requests with the provider against a running platform API and prints what each answered.

Usage: AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... python3 check_signing.py <API URL>

Run by test/integration/tracking-auth-provider.test.ts against the local API server (whose SigV4
check canonicalizes queries as API Gateway does), or by hand against a deployed platform. Prints
one JSON object; it imports no MLflow.
"""

import io
import json
import os
import sys
import uuid

import requests
from botocore.auth import SigV4Auth as BotocoreSigV4
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from mlflow_cdk_mlops_auth import PROVIDER_NAME, SigV4AuthProvider, canonical_query  # noqa: E402


def naive_auth(request):
    """Signs the URL as requests sends it (a space as ``+``), as a plain botocore signer would."""
    aws = AWSRequest(method=request.method, url=request.url, data=request.body, headers={"host": request.url.split("/")[2]})
    creds = Credentials(os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"])
    BotocoreSigV4(creds, "execute-api", os.environ.get("AWS_REGION", "us-east-1")).add_auth(aws)
    for name in ("Authorization", "X-Amz-Date"):
        request.headers[name] = aws.headers[name]
    return request


def main(base):
    api = base.rstrip("/") + "/api/2.0/mlflow"
    provider = SigV4AuthProvider()
    auth = provider.get_auth()
    name = f"with space {uuid.uuid4().hex[:8]}"
    out = {"name": provider.get_name() == PROVIDER_NAME}

    created = requests.post(f"{api}/experiments/create", json={"name": name}, auth=auth, timeout=30)
    out["create"] = created.status_code
    experiment_id = created.json().get("experiment_id")

    by_name = requests.get(f"{api}/experiments/get-by-name", params={"experiment_name": name}, auth=auth, timeout=30)
    out["get_by_name"] = by_name.status_code
    out["get_by_name_id"] = by_name.json().get("experiment", {}).get("experiment_id") == experiment_id
    out["sent_plus"] = "+" in requests.Request("GET", f"{api}/x", params={"q": "a b"}).prepare().url
    out["rewritten"] = canonical_query(f"{api}/x?q=a+b&r=c%2Bd") == f"{api}/x?q=a%20b&r=c%2Bd"

    plus_signed = requests.get(
        f"{api}/experiments/get-by-name", params={"experiment_name": name}, auth=naive_auth, timeout=30
    )
    out["plus_signed"] = plus_signed.status_code

    search = requests.get(
        f"{api}/registered-models/search",
        params={"filter": "tags.`mlflow.prompt.is_prompt` != 'true'", "max_results": 10},
        auth=auth,
        timeout=30,
    )
    out["search_registered_models"] = search.status_code

    run = requests.post(f"{api}/runs/create", json={"experiment_id": experiment_id}, auth=auth, timeout=30).json()
    artifact_uri = run["run"]["info"]["artifact_uri"]
    proxy_path = artifact_uri[len("mlflow-artifacts:/") :]
    artifact = f"{base.rstrip('/')}/api/2.0/mlflow-artifacts/artifacts/{proxy_path}/notes.bin"
    payload = bytes(range(256)) * 4
    # MLflow's HttpArtifactRepository PUTs an open file with its guessed type; botocore hashes the
    # file and rewinds it.
    uploaded = requests.put(
        artifact,
        data=io.BytesIO(payload),
        headers={"Content-Type": "application/octet-stream"},
        auth=auth,
        timeout=30,
    )
    out["upload"] = uploaded.status_code
    downloaded = requests.get(artifact, auth=auth, timeout=30)
    out["download"] = downloaded.status_code
    out["download_same"] = downloaded.content == payload

    bad = requests.get(
        f"{api}/experiments/get",
        params={"experiment_id": experiment_id},
        auth=lambda r: (r.headers.update({"Authorization": "AWS4-HMAC-SHA256 Credential=x/y, SignedHeaders=host, Signature=0"}), r)[1],
        timeout=30,
    )
    out["bad_signature"] = bad.status_code
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
