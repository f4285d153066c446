"""The README's MLflow snippet, run with the MLflow client against a running platform.

Not part of `npm test` (which needs no Python): run it by hand where the `mlflow` and `onnx`
packages are installed, with the platform started (`npm start`), the auth package installed
(`pip install ./python/mlflow-cdk-mlops-auth`) and the local credential in the environment:

    AWS_ACCESS_KEY_ID=<printed key> AWS_SECRET_ACCESS_KEY=<printed secret> AWS_DEFAULT_REGION=us-east-1 \
    MLFLOW_TRACKING_URI=<printed API URL> MLFLOW_TRACKING_AUTH=cdk-mlops \
    python3 scripts/mlflow-client-check.py

It exits non-zero on the first call the platform answers differently from an MLflow server.
"""

import os
import tempfile

import mlflow
from mlflow import MlflowClient

mlflow.set_experiment("client-check")
with mlflow.start_run() as run:
    mlflow.log_param("lr", 0.01)
    for step, loss in enumerate([0.9, 0.5, 0.3]):
        mlflow.log_metric("loss", loss, step=step)
    mlflow.log_metrics({"auc": 0.91})
    mlflow.log_params({"depth": 6})
    mlflow.set_tag("stage", "dev")

client = MlflowClient()
got = client.get_run(run.info.run_id)
assert got.data.params == {"lr": "0.01", "depth": "6"}, got.data.params
assert got.data.metrics["loss"] == 0.3, got.data.metrics
history = client.get_metric_history(run.info.run_id, "loss")
assert [m.value for m in history] == [0.9, 0.5, 0.3], history

found = mlflow.search_runs(filter_string="metrics.auc > 0.9 and params.depth = '6'", order_by=["metrics.loss ASC"])
assert list(found["run_id"]) == [run.info.run_id], found

try:
    client.log_param(run.info.run_id, "lr", "0.02")
    raise SystemExit("changing a logged param should be refused")
except mlflow.exceptions.MlflowException as err:
    assert err.error_code == "INVALID_PARAMETER_VALUE", err.error_code

# A model: the run's artifacts hold model/model.onnx (the bytes need not be a real model here).
# MLflow's REST store: its host credentials sign the request as every other call of the client.
store = client._tracking_client.store
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "model.onnx")
    with open(path, "wb") as f:
        f.write(b"onnx bytes")
    # Artifacts are written through the platform's presigned-URL route, as the store's REST call.
    from mlflow.utils.rest_utils import http_request

    creds = store.get_host_creds()
    reply = http_request(
        creds,
        "/api/2.0/mlflow/artifacts/presigned-upload-url",
        "POST",
        json={"run_id": run.info.run_id, "path": "model/model.onnx"},
    ).json()
    import requests

    with open(path, "rb") as f:
        assert requests.put(reply["presigned_url"], data=f).status_code == 200

version = mlflow.register_model(f"runs:/{run.info.run_id}/model", "client-check")
client.set_registered_model_alias("client-check", "champion", version.version)
champion = client.get_model_version_by_alias("client-check", "champion")
assert champion.version == version.version, champion
print("download uri:", client.get_model_version_download_uri("client-check", version.version))
print("ok: the MLflow client's calls were answered as an MLflow server answers them")
