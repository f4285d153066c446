"""SigV4 signing of MLflow's requests for the cdk-mlops platform's API Gateway (IAM auth).

MLflow instantiates ``SigV4AuthProvider`` through the ``mlflow.request_auth_provider`` entry point
and uses it when ``MLFLOW_TRACKING_AUTH`` equals its name. The module imports nothing of MLflow:
the registry only calls ``get_name()`` and ``get_auth()``.
"""

from mlflow_cdk_mlops_auth.sigv4 import PROVIDER_NAME, SigV4Auth, SigV4AuthProvider, canonical_query

__all__ = ["PROVIDER_NAME", "SigV4Auth", "SigV4AuthProvider", "canonical_query"]
