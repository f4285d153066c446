"""A ``requests`` auth that signs with botocore's SigV4 as API Gateway verifies it."""

import os
from urllib.parse import urlsplit, urlunsplit

import botocore.session
import requests
from botocore.auth import SigV4Auth as _BotocoreSigV4
from botocore.awsrequest import AWSRequest

PROVIDER_NAME = "cdk-mlops"
SERVICE = "execute-api"
DEFAULT_REGION = "us-east-1"
# The headers botocore adds when signing; nothing else of the request is changed.
_SIGNING_HEADERS = ("Authorization", "X-Amz-Date", "X-Amz-Security-Token")


def canonical_query(url):
    """The URL with each ``+`` of its query written ``%20``.

    ``requests`` encodes a space in a query as ``+`` (form encoding), while SigV4's canonical
    query string encodes it as ``%20``; botocore signs a URL's query as it is, so a ``+`` would be
    signed literally and API Gateway would refuse the signature. A literal plus is sent as
    ``%2B`` by ``requests``, so every ``+`` in the query is a space.
    """
    parts = urlsplit(url)
    if "+" not in parts.query:
        return url
    return urlunsplit(parts._replace(query=parts.query.replace("+", "%20")))


def _region(session):
    return (
        os.environ.get("AWS_REGION")
        or os.environ.get("AWS_DEFAULT_REGION")
        or session.get_config_variable("region")
        or DEFAULT_REGION
    )


class SigV4Auth(requests.auth.AuthBase):
    """Signs each request for ``execute-api`` with the default credential chain's credentials."""

    def __init__(self, session=None, region=None):
        self._session = session or botocore.session.Session()
        self._region = region or _region(self._session)

    def __call__(self, request):
        credentials = self._session.get_credentials()
        if credentials is None:
            raise RuntimeError(
                "no AWS credentials found (environment, shared config, SSO or instance role); "
                "the platform's API accepts only SigV4-signed requests"
            )
        request.url = canonical_query(request.url)
        # Only the host is signed besides botocore's own headers: requests and the adapters may
        # still add or change others (user-agent, content-length) after this point.
        aws_request = AWSRequest(
            method=request.method,
            url=request.url,
            data=request.body,
            headers={"host": urlsplit(request.url).netloc},
        )
        _BotocoreSigV4(credentials.get_frozen_credentials(), SERVICE, self._region).add_auth(aws_request)
        for name in _SIGNING_HEADERS:
            if name in aws_request.headers:
                request.headers[name] = aws_request.headers[name]
        request.register_hook("response", _follow_presigned_redirect)
        return request


def _follow_presigned_redirect(response, **kwargs):
    """Follows a redirect to another host (a presigned S3 URL) without the SigV4 headers.

    ``requests`` would drop ``Authorization`` on such a redirect but keep ``X-Amz-Date`` and
    ``X-Amz-Security-Token``, which S3 refuses beside the URL's own signature.
    """
    location = response.headers.get("location")
    if not response.is_redirect or not location or response.request.method not in ("GET", "HEAD"):
        return response
    if urlsplit(location).netloc == urlsplit(response.request.url).netloc:
        return response
    followed = requests.request(
        response.request.method,
        location,
        stream=kwargs.get("stream", False),
        timeout=kwargs.get("timeout"),
        verify=kwargs.get("verify", True),
    )
    followed.history = [response]
    return followed


class SigV4AuthProvider:
    """MLflow's request-auth provider interface: a name for ``MLFLOW_TRACKING_AUTH``, and the auth."""

    def get_name(self):
        return PROVIDER_NAME

    def get_auth(self):
        return SigV4Auth()
