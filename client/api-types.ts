/**
 * The platform API's paths, operations and schemas as TypeScript types. Generated from the OpenAPI
 * document by `npm run client-types`: do not edit by hand.
 */
export type paths = {
    "/models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List models */
        get: operations["ListModels"];
        put?: never;
        /** Create a model */
        post: operations["CreateModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a model */
        get: operations["GetModel"];
        put?: never;
        post?: never;
        /** Delete a model */
        delete: operations["DeleteModel"];
        options?: never;
        head?: never;
        /** Update a model */
        patch: operations["UpdateModel"];
        trace?: never;
    };
    "/models/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List versions */
        get: operations["ListVersions"];
        put?: never;
        /** Register a version; returns a presigned artifact upload */
        post: operations["RegisterVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a version */
        get: operations["GetVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Update description, tags or governance evidence */
        patch: operations["UpdateVersion"];
        trace?: never;
    };
    "/models/{name}/versions/{version}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Hash the uploaded artifact; READY if it matches the declared sha256, else FAILED */
        post: operations["VerifyArtifact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/versions/{version}/artifact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Presigned download of a READY version */
        get: operations["GetArtifact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/versions/{version}/stage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move a version to None, Staging, Production (governed) or Archived */
        post: operations["TransitionStage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/aliases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List aliases */
        get: operations["ListAliases"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/aliases/{alias}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Resolve an alias to its version */
        get: operations["GetAlias"];
        /** Point an alias at a version */
        put: operations["SetAlias"];
        post?: never;
        /** Delete an alias */
        delete: operations["DeleteAlias"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's history, newest first */
        get: operations["ListAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's approval requests, newest first */
        get: operations["ListApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/approvals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an approval request with its decisions */
        get: operations["GetApproval"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/approvals/{id}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve or reject (approvers only); the quorum runs the move as first asked */
        post: operations["DecideApproval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/deployments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's rollouts, newest first */
        get: operations["ListDeployments"];
        put?: never;
        /** Roll out a READY version to the endpoint as a canary (409 while another rollout runs); a model that asks for sign-off answers with the approval request the rollout waits on */
        post: operations["StartDeployment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/deployments/{deploymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A rollout: status, phase, weights, and the alarm or reason when rolled back */
        get: operations["GetDeployment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every configured endpoint as it serves now: backend, status, variants (version, weight, instances), the running rollout */
        get: operations["ListEndpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-views": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List feature views, paginated */
        get: operations["ListFeatureViews"];
        put?: never;
        /** Create a feature view (409 when the name is taken) */
        post: operations["CreateFeatureView"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-views/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a feature view */
        get: operations["GetFeatureView"];
        /** Replace the definition; compatible changes add a version, others are a 409 */
        put: operations["UpdateFeatureView"];
        post?: never;
        /** Delete a feature view (its offline files stay) */
        delete: operations["DeleteFeatureView"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-views/{name}/freshness": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Age of a view's freshest online data against its max age (batch: newest row vs TTL; stream: watermark lag) */
        get: operations["GetFeatureViewFreshness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/push": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Write a batch of rows online and offline; any bad row refuses the batch (422) */
        post: operations["PushFeatures"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/get-online-features": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Latest feature values per entity, in Feast's request and response shape */
        post: operations["GetOnlineFeatures"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/feature-views/{name}/materialize": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Offline to online for an event-time range (idempotent) */
        post: operations["MaterializeFeatureView"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/training-sets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a point-in-time-correct training set job; returns its id */
        post: operations["CreateTrainingSet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/training-sets/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A training set job: status, and the Parquet location once SUCCEEDED */
        get: operations["GetTrainingSet"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/models/{name}/versions/{version}/reference-profile": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The version's reference profile (without its samples) */
        get: operations["GetReferenceProfile"];
        put?: never;
        /** Profile the version's training data (CSV, Parquet, JSON) and link it from the version */
        post: operations["CreateReferenceProfile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/drift-reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** On-demand drift: reference and current data (inline or S3) in, stored report out */
        post: operations["CheckDrift"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/models/{name}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the model's scheduled drift check now, over the capture since the last one */
        post: operations["RunMonitoringCheck"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/models/{name}/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's drift and quality reports, newest first */
        get: operations["ListMonitoringReports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/models/{name}/reports/{reportId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A report as JSON */
        get: operations["GetMonitoringReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/models/{name}/reports/{reportId}/html": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A drift report as a self-contained HTML page */
        get: operations["GetMonitoringReportHtml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/models/{name}/ground-truth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ground-truth labels by capture inference id */
        post: operations["PostGroundTruth"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitoring/models/{name}/quality-reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Quality over a capture window joined with labels, against the registered baseline */
        post: operations["CreateQualityReport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{name}/infer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Open Inference Protocol v2 prediction on the model's endpoint; says which version and variant answered */
        post: operations["Predict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol v2 server liveness */
        get: operations["ServerLive"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol v2 server readiness */
        get: operations["ServerReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol v2 model metadata: the served version, platform, inputs and outputs of the champion's ONNX graph */
        get: operations["ModelMetadata"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v2/models/{name}/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open Inference Protocol v2 model readiness: an endpoint with a promoted champion version */
        get: operations["ModelReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/retraining-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's retraining runs, newest first */
        get: operations["ListRetrainingRuns"];
        put?: never;
        /** Start a retraining run now (reason manual); 202 with the run, or the suppression */
        post: operations["StartRetrainingRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/retraining-runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A retraining run: phase, outcome and reason, metrics, registered version */
        get: operations["GetRetrainingRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/retraining-runs/{runId}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a running run (StopExecution, audited); 202, the same for a run already stopped, 409 RETRAINING_RUN_FINISHED for one that ended otherwise */
        post: operations["StopRetrainingRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/privacy/erasures": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Erase entities everywhere (online, offline, captured inferences, ground truth) and tombstone them; 202 with the erasure */
        post: operations["CreateErasure"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/privacy/erasures/{erasureId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An erasure: status, and once COMPLETED what it removed and flagged (the receipt) */
        get: operations["GetErasure"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: create an experiment */
        post: operations["MlflowCreateExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: get an experiment */
        get: operations["MlflowGetExperiment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/get-by-name": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: get an experiment by name */
        get: operations["MlflowGetExperimentByName"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: search experiments with query parameters */
        get: operations["MlflowSearchExperimentsGet"];
        put?: never;
        /** MLflow: search experiments (filter, order_by, page_token) */
        post: operations["MlflowSearchExperiments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: rename an experiment */
        post: operations["MlflowUpdateExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: mark an experiment and its runs deleted */
        post: operations["MlflowDeleteExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: restore a deleted experiment and its runs */
        post: operations["MlflowRestoreExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/set-experiment-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: set a tag on an experiment */
        post: operations["MlflowSetExperimentTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/experiments/delete-experiment-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: delete a tag of an experiment */
        post: operations["MlflowDeleteExperimentTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: create a run */
        post: operations["MlflowCreateRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: get a run with its latest metrics */
        get: operations["MlflowGetRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: update a run (status, end time, name) */
        post: operations["MlflowUpdateRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: mark a run deleted */
        post: operations["MlflowDeleteRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: restore a deleted run */
        post: operations["MlflowRestoreRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: search runs with MLflow's filter grammar, order_by and page_token */
        post: operations["MlflowSearchRuns"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/log-parameter": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: log a param (immutable once logged) */
        post: operations["MlflowLogParam"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/log-metric": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: log a metric point */
        post: operations["MlflowLogMetric"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/log-batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: log metrics, params and tags (at most 1000 metrics, 100 params, 100 tags, 1000 in all) */
        post: operations["MlflowLogBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/set-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: set a tag on a run */
        post: operations["MlflowSetTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/delete-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: delete a tag of a run */
        post: operations["MlflowDeleteTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/metrics/get-history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: every logged point of a run's metric */
        get: operations["MlflowGetMetricHistory"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/artifacts/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: list a run's artifacts under a path */
        get: operations["MlflowListArtifacts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/artifacts/presigned-upload-url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: a presigned PUT URL for a run's artifact in the platform bucket */
        post: operations["MlflowCreatePresignedUploadUrl"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/artifacts/presigned-download-url": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: a presigned GET URL for a run's artifact in the platform bucket */
        post: operations["MlflowCreatePresignedDownloadUrl"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: create a registered model (a model of the platform's registry) */
        post: operations["MlflowCreateRegisteredModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: get a registered model with its aliases */
        get: operations["MlflowGetRegisteredModel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/create": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: register a version from a run's artifact or an s3:// source (hash-checked, audited) */
        post: operations["MlflowCreateModelVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: get a model version */
        get: operations["MlflowGetModelVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/get-download-uri": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: where a version's artifact is stored */
        get: operations["MlflowGetModelVersionDownloadUri"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/transition-stage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: move a version to a stage through the registry's governance checks */
        post: operations["MlflowTransitionModelVersionStage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: search registered models (name and tags filter, order_by, page_token) */
        get: operations["MlflowSearchRegisteredModels"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** MLflow: set a registered model's description */
        patch: operations["MlflowUpdateRegisteredModel"];
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/rename": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: rename a registered model that has never held a version (a model with versions keeps its name) */
        post: operations["MlflowRenameRegisteredModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** MLflow: delete a registered model with its versions (refused while a version is in Production) */
        delete: operations["MlflowDeleteRegisteredModel"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/set-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: set a tag on a registered model */
        post: operations["MlflowSetRegisteredModelTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/delete-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** MLflow: delete a tag of a registered model */
        delete: operations["MlflowDeleteRegisteredModelTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/get-latest-versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: the latest version in each stage, with query parameters */
        get: operations["MlflowGetLatestVersionsGet"];
        put?: never;
        /** MLflow: the latest version in each stage asked for (all stages by default) */
        post: operations["MlflowGetLatestVersions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: search model versions (name, version_number, run_id, source_path, tags; order_by, page_token) */
        get: operations["MlflowSearchModelVersions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/update": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** MLflow: set a model version's description */
        patch: operations["MlflowUpdateModelVersion"];
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** MLflow: delete a version in no stage and without an alias */
        delete: operations["MlflowDeleteModelVersion"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/set-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow: set a tag on a model version */
        post: operations["MlflowSetModelVersionTag"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/model-versions/delete-tag": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** MLflow: delete a tag of a model version */
        delete: operations["MlflowDeleteModelVersionTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/registered-models/alias": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow: the version an alias points at */
        get: operations["MlflowGetModelVersionByAlias"];
        put?: never;
        /** MLflow: point an alias at a version */
        post: operations["MlflowSetRegisteredModelAlias"];
        /** MLflow: delete an alias */
        delete: operations["MlflowDeleteRegisteredModelAlias"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/logged-models": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow 3: create a logged model (PENDING) in an experiment, with its artifact location */
        post: operations["MlflowCreateLoggedModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/logged-models/{model_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow 3: get a logged model */
        get: operations["MlflowGetLoggedModel"];
        put?: never;
        post?: never;
        /** MLflow 3: delete a logged model (it then answers 404 and leaves searches; its files stay) */
        delete: operations["MlflowDeleteLoggedModel"];
        options?: never;
        head?: never;
        /** MLflow 3: finalize a logged model once its files are uploaded (READY or UPLOAD_FAILED) */
        patch: operations["MlflowFinalizeLoggedModel"];
        trace?: never;
    };
    "/api/2.0/mlflow/logged-models/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow 3: search logged models of experiments (attributes, params, tags; order_by, page_token) */
        post: operations["MlflowSearchLoggedModels"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/logged-models/{model_id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** MLflow 3: set tags on a logged model */
        patch: operations["MlflowSetLoggedModelTags"];
        trace?: never;
    };
    "/api/2.0/mlflow/logged-models/{model_id}/tags/{tag_key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** MLflow 3: delete a tag of a logged model */
        delete: operations["MlflowDeleteLoggedModelTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/logged-models/{model_id}/params": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow 3: log params of a logged model (immutable once logged) */
        post: operations["MlflowLogLoggedModelParams"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/logged-models/{model_id}/artifacts/directories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow 3: list a logged model's files under a directory */
        get: operations["MlflowListLoggedModelArtifacts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/outputs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow 3: link logged models to the run that produced them (GetRun shows them in outputs) */
        post: operations["MlflowLogOutputs"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow/runs/log-model": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow 2: record a logged model's MLmodel on its run (tag mlflow.log-model.history) */
        post: operations["MlflowLogModel"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow-artifacts/artifacts/{artifact_path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow artifact proxy: download a file (up to 4 MB inline; a larger one answers 307 to a presigned S3 URL) */
        get: operations["MlflowArtifactsDownload"];
        /** MLflow artifact proxy: upload a file (the body; about 4 MB at most through Lambda, else multipart) */
        put: operations["MlflowArtifactsUpload"];
        post?: never;
        /** MLflow artifact proxy: delete a file, or everything under a directory (nothing there is fine) */
        delete: operations["MlflowArtifactsDelete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow-artifacts/artifacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MLflow artifact proxy: the files and directories right under path */
        get: operations["MlflowArtifactsList"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow-artifacts/mpu/create/{artifact_path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow artifact proxy: start a multipart upload; one presigned S3 URL per part */
        post: operations["MlflowArtifactsCreateMultipart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow-artifacts/mpu/complete/{artifact_path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow artifact proxy: complete a multipart upload from its parts and ETags */
        post: operations["MlflowArtifactsCompleteMultipart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/2.0/mlflow-artifacts/mpu/abort/{artifact_path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** MLflow artifact proxy: abort a multipart upload */
        post: operations["MlflowArtifactsAbortMultipart"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List experiments, by status then name; filter by status and model */
        get: operations["ListExperiments"];
        put?: never;
        /** Create an A/B experiment between two versions of a model (DRAFT); the reply holds the sample size per arm */
        post: operations["CreateExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An experiment: definition, status, sample size, reason and winner */
        get: operations["GetExperiment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments/{name}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a DRAFT experiment: units are assigned to arms on the model's endpoint; 409 while a rollout or another experiment runs there */
        post: operations["StartExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments/{name}/stop": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a running experiment: all traffic back to control, the reason recorded */
        post: operations["StopExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments/{name}/conclude": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Conclude with a winner: a treatment winner is promoted through the rollout, control keeps the champion; a model that asks for sign-off answers with the approval request the rollout waits on */
        post: operations["ConcludeExperiment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments/{name}/outcomes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record outcomes (unit, metric, value, time, event id) of a running experiment; idempotent per event id */
        post: operations["RecordOutcomes"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments/{name}/results": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Results: per arm n, mean or rate and interval; effects with intervals; raw and adjusted p-values; SRM; verdict */
        get: operations["GetExperimentResults"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/experiments/{name}/report": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Results as an HTML page (inline SVG, no scripts): the effect and its interval over time, units per arm */
        get: operations["GetExperimentReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/batch-predictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Score every row of an S3 input (CSV, JSON Lines, Parquet, or entity rows enriched from a feature view) with a model version; 202 with the job */
        post: operations["CreateBatchPrediction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/batch-predictions/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A presigned S3 PUT for a job's input under the platform bucket's batch-predictions/in/, with the s3:// URI to submit */
        post: operations["CreateBatchUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/batch-predictions/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A batch prediction job: status, rows read, predicted and failed, progress, output and dead-letter locations */
        get: operations["GetBatchPrediction"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/batch-predictions/{jobId}/output": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A job's output parts (predictions, or dead letters with their source and reason) in order, each with a presigned S3 GET */
        get: operations["ListBatchPredictionOutput"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/models/{name}/batch-predictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model's batch prediction jobs, newest first */
        get: operations["ListModelBatchPredictions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/batch-predictions/{jobId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop a submitted or running job; what it wrote stays, and a resume completes it */
        post: operations["CancelBatchPrediction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/batch-predictions/{jobId}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed or cancelled job again: only the batches without output run */
        post: operations["ResumeBatchPrediction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/prompts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a prompt (a registered model of kind prompt) */
        post: operations["CreatePrompt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/prompts/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a prompt */
        get: operations["GetPrompt"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/prompts/{name}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Register an immutable prompt version ({{variables}} template, declared variables) */
        post: operations["CreatePromptVersion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/prompts/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a prompt version */
        get: operations["GetPromptVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/prompts/{name}/aliases/{alias}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Point an alias at a prompt version (production requires the evaluation score floors) */
        put: operations["SetPromptAlias"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/prompts/{name}/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll a prompt version out to production as a canary: it takes a share of the calls naming production per step, alarms on its error rate and latency roll it back (the evaluation score floors first; status at GET /models/{name}/deployments/{deploymentId}) */
        post: operations["StartPromptRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The LLM endpoints the stack declares, each with the model it serves now (a promoted candidate, else its configured model) and a running model rollout */
        get: operations["ListLlmEndpoints"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/endpoints/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One LLM endpoint: its settings, the model it serves now and a running model rollout */
        get: operations["GetLlmEndpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/endpoints/{name}/rollouts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Roll an LLM endpoint (Bedrock, or SageMaker LMI as a second production variant) out to one of its candidate models as a canary: the candidate takes a share of the endpoint's calls per step, alarms on its error rate, latency and guardrail blocks roll it back, a promotion makes it the served model */
        post: operations["StartModelRollout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/endpoints/{name}/rollouts/{deploymentId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A model rollout of an LLM endpoint: its phase, weights and outcome */
        get: operations["GetModelRollout"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/prompts/render": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render name@alias or name/version with variables (missing or unknown ones are a 400) */
        post: operations["RenderPrompt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/chat/completions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OpenAI chat completion on an LLM endpoint, from messages or a prompt reference */
        post: operations["CreateChatCompletion"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/evaluations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Score a prompt version's answers on up to 50 rows at once; each scorer's mean is set on the version */
        post: operations["RunEvaluation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/evaluation-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Score a prompt version on a large dataset in the background, row results stored as they come */
        post: operations["StartEvaluationRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/evaluation-runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A background evaluation run's status, progress and, once done, its aggregate */
        get: operations["GetEvaluationRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/evaluation-runs/{runId}/rows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A page of a background evaluation run's scored rows, in dataset order */
        get: operations["ListEvaluationRows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/collections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a document collection, with its chunking */
        post: operations["CreateCollection"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/collections/{name}/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Chunk, embed and index one document (inline text) in a collection */
        post: operations["IngestDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/collections/{name}/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Chunk, embed and index the text objects under an S3 prefix; an unchanged object is skipped */
        post: operations["ImportDocuments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/collections/{name}/retrieve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The k chunks of a collection closest to a query, with scores and sources */
        post: operations["Retrieve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/llm/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Token usage and cost by model, prompt version, principal, endpoint and day */
        get: operations["GetLlmUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: {
        Error: {
            error: {
                code: string;
                message: string;
                details?: unknown;
            };
        };
        MlflowError: {
            /** @enum {string} */
            error_code: "INVALID_PARAMETER_VALUE" | "BAD_REQUEST" | "RESOURCE_ALREADY_EXISTS" | "PERMISSION_DENIED" | "RESOURCE_DOES_NOT_EXIST" | "ENDPOINT_NOT_FOUND" | "RESOURCE_CONFLICT" | "REQUEST_LIMIT_EXCEEDED" | "INTERNAL_ERROR" | "TEMPORARILY_UNAVAILABLE";
            message: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    ListModels: {
        parameters: {
            query?: {
                prefix?: string;
                tag?: string;
                tagValue?: string;
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            description: string;
                            tags: {
                                [key: string]: string;
                            };
                            governance?: {
                                metricFloors?: {
                                    [key: string]: number;
                                };
                                maxDemographicParityDifference?: number;
                                requireModelCard?: boolean;
                                requireSecurityScan?: boolean;
                                requireLoadTest?: boolean;
                                approval?: {
                                    approvers: string[];
                                    /** @default 1 */
                                    quorum: number;
                                    /** @default false */
                                    authorMayApprove: boolean;
                                    /** @default 72 */
                                    expiresAfterHours: number;
                                };
                            };
                            latestVersion: number;
                            productionVersions: number;
                            stagingVersions?: number;
                            /** @enum {string} */
                            status: "ACTIVE" | "DELETING";
                            createdAt: string;
                            updatedAt: string;
                            createdBy: string;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                    /** @default {} */
                    tags?: {
                        [key: string]: string;
                    };
                    governance?: {
                        metricFloors?: {
                            [key: string]: number;
                        };
                        maxDemographicParityDifference?: number;
                        requireModelCard?: boolean;
                        requireSecurityScan?: boolean;
                        requireLoadTest?: boolean;
                        approval?: {
                            approvers: string[];
                            /** @default 1 */
                            quorum?: number;
                            /** @default false */
                            authorMayApprove?: boolean;
                            /** @default 72 */
                            expiresAfterHours?: number;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        description: string;
                        tags: {
                            [key: string]: string;
                        };
                        governance?: {
                            metricFloors?: {
                                [key: string]: number;
                            };
                            maxDemographicParityDifference?: number;
                            requireModelCard?: boolean;
                            requireSecurityScan?: boolean;
                            requireLoadTest?: boolean;
                            approval?: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                        };
                        latestVersion: number;
                        productionVersions: number;
                        stagingVersions?: number;
                        /** @enum {string} */
                        status: "ACTIVE" | "DELETING";
                        createdAt: string;
                        updatedAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        description: string;
                        tags: {
                            [key: string]: string;
                        };
                        governance?: {
                            metricFloors?: {
                                [key: string]: number;
                            };
                            maxDemographicParityDifference?: number;
                            requireModelCard?: boolean;
                            requireSecurityScan?: boolean;
                            requireLoadTest?: boolean;
                            approval?: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                        };
                        latestVersion: number;
                        productionVersions: number;
                        stagingVersions?: number;
                        /** @enum {string} */
                        status: "ACTIVE" | "DELETING";
                        createdAt: string;
                        updatedAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    DeleteModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    UpdateModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    tags?: {
                        [key: string]: string;
                    };
                    governance?: {
                        metricFloors?: {
                            [key: string]: number;
                        };
                        maxDemographicParityDifference?: number;
                        requireModelCard?: boolean;
                        requireSecurityScan?: boolean;
                        requireLoadTest?: boolean;
                        approval?: {
                            approvers: string[];
                            /** @default 1 */
                            quorum?: number;
                            /** @default false */
                            authorMayApprove?: boolean;
                            /** @default 72 */
                            expiresAfterHours?: number;
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        description: string;
                        tags: {
                            [key: string]: string;
                        };
                        governance?: {
                            metricFloors?: {
                                [key: string]: number;
                            };
                            maxDemographicParityDifference?: number;
                            requireModelCard?: boolean;
                            requireSecurityScan?: boolean;
                            requireLoadTest?: boolean;
                            approval?: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                        };
                        latestVersion: number;
                        productionVersions: number;
                        stagingVersions?: number;
                        /** @enum {string} */
                        status: "ACTIVE" | "DELETING";
                        createdAt: string;
                        updatedAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListVersions: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            modelName: string;
                            version: number;
                            description: string;
                            /** @enum {string} */
                            status: "PENDING_UPLOAD" | "READY" | "FAILED";
                            statusReason?: string;
                            /** @enum {string} */
                            stage: "None" | "Staging" | "Production" | "Archived";
                            metrics: {
                                [key: string]: number;
                            };
                            params: {
                                [key: string]: string;
                            };
                            tags: {
                                [key: string]: string;
                            };
                            lineage: {
                                trainingRunId?: string;
                                datasetUri?: string;
                                datasetSha256?: string;
                                codeRevision?: string;
                                parentVersion?: number;
                            };
                            governance: {
                                /** Format: uri */
                                modelCardUrl?: string;
                                /** @enum {string} */
                                securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                                /** @enum {string} */
                                loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                                demographicParityDifference?: number;
                            };
                            artifact: {
                                bucket: string;
                                key: string;
                                sha256: string;
                                sizeBytes: number;
                                contentType: string;
                            };
                            createdAt: string;
                            updatedAt: string;
                            createdBy: string;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    RegisterVersion: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default  */
                    description?: string;
                    /** @default {} */
                    metrics?: {
                        [key: string]: number;
                    };
                    /** @default {} */
                    params?: {
                        [key: string]: string;
                    };
                    /** @default {} */
                    tags?: {
                        [key: string]: string;
                    };
                    /** @default {} */
                    lineage?: {
                        trainingRunId?: string;
                        datasetUri?: string;
                        datasetSha256?: string;
                        codeRevision?: string;
                        parentVersion?: number;
                    };
                    /** @default {} */
                    governance?: {
                        /** Format: uri */
                        modelCardUrl?: string;
                        /** @enum {string} */
                        securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                        /** @enum {string} */
                        loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                        demographicParityDifference?: number;
                    };
                    artifact: {
                        sha256: string;
                        sizeBytes: number;
                        /** @default model.onnx */
                        fileName?: string;
                        /** @default application/octet-stream */
                        contentType?: string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        version: {
                            modelName: string;
                            version: number;
                            description: string;
                            /** @enum {string} */
                            status: "PENDING_UPLOAD" | "READY" | "FAILED";
                            statusReason?: string;
                            /** @enum {string} */
                            stage: "None" | "Staging" | "Production" | "Archived";
                            metrics: {
                                [key: string]: number;
                            };
                            params: {
                                [key: string]: string;
                            };
                            tags: {
                                [key: string]: string;
                            };
                            lineage: {
                                trainingRunId?: string;
                                datasetUri?: string;
                                datasetSha256?: string;
                                codeRevision?: string;
                                parentVersion?: number;
                            };
                            governance: {
                                /** Format: uri */
                                modelCardUrl?: string;
                                /** @enum {string} */
                                securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                                /** @enum {string} */
                                loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                                demographicParityDifference?: number;
                            };
                            artifact: {
                                bucket: string;
                                key: string;
                                sha256: string;
                                sizeBytes: number;
                                contentType: string;
                            };
                            createdAt: string;
                            updatedAt: string;
                            createdBy: string;
                        };
                        upload: {
                            /** @enum {string} */
                            method: "PUT" | "GET";
                            url: string;
                            headers: {
                                [key: string]: string;
                            };
                            expiresAt: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        modelName: string;
                        version: number;
                        description: string;
                        /** @enum {string} */
                        status: "PENDING_UPLOAD" | "READY" | "FAILED";
                        statusReason?: string;
                        /** @enum {string} */
                        stage: "None" | "Staging" | "Production" | "Archived";
                        metrics: {
                            [key: string]: number;
                        };
                        params: {
                            [key: string]: string;
                        };
                        tags: {
                            [key: string]: string;
                        };
                        lineage: {
                            trainingRunId?: string;
                            datasetUri?: string;
                            datasetSha256?: string;
                            codeRevision?: string;
                            parentVersion?: number;
                        };
                        governance: {
                            /** Format: uri */
                            modelCardUrl?: string;
                            /** @enum {string} */
                            securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                            /** @enum {string} */
                            loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                            demographicParityDifference?: number;
                        };
                        artifact: {
                            bucket: string;
                            key: string;
                            sha256: string;
                            sizeBytes: number;
                            contentType: string;
                        };
                        createdAt: string;
                        updatedAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    UpdateVersion: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    tags?: {
                        [key: string]: string | null;
                    };
                    governance?: {
                        /** Format: uri */
                        modelCardUrl?: string;
                        /** @enum {string} */
                        securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                        /** @enum {string} */
                        loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                        demographicParityDifference?: number;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        modelName: string;
                        version: number;
                        description: string;
                        /** @enum {string} */
                        status: "PENDING_UPLOAD" | "READY" | "FAILED";
                        statusReason?: string;
                        /** @enum {string} */
                        stage: "None" | "Staging" | "Production" | "Archived";
                        metrics: {
                            [key: string]: number;
                        };
                        params: {
                            [key: string]: string;
                        };
                        tags: {
                            [key: string]: string;
                        };
                        lineage: {
                            trainingRunId?: string;
                            datasetUri?: string;
                            datasetSha256?: string;
                            codeRevision?: string;
                            parentVersion?: number;
                        };
                        governance: {
                            /** Format: uri */
                            modelCardUrl?: string;
                            /** @enum {string} */
                            securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                            /** @enum {string} */
                            loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                            demographicParityDifference?: number;
                        };
                        artifact: {
                            bucket: string;
                            key: string;
                            sha256: string;
                            sizeBytes: number;
                            contentType: string;
                        };
                        createdAt: string;
                        updatedAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    VerifyArtifact: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        modelName: string;
                        version: number;
                        description: string;
                        /** @enum {string} */
                        status: "PENDING_UPLOAD" | "READY" | "FAILED";
                        statusReason?: string;
                        /** @enum {string} */
                        stage: "None" | "Staging" | "Production" | "Archived";
                        metrics: {
                            [key: string]: number;
                        };
                        params: {
                            [key: string]: string;
                        };
                        tags: {
                            [key: string]: string;
                        };
                        lineage: {
                            trainingRunId?: string;
                            datasetUri?: string;
                            datasetSha256?: string;
                            codeRevision?: string;
                            parentVersion?: number;
                        };
                        governance: {
                            /** Format: uri */
                            modelCardUrl?: string;
                            /** @enum {string} */
                            securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                            /** @enum {string} */
                            loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                            demographicParityDifference?: number;
                        };
                        artifact: {
                            bucket: string;
                            key: string;
                            sha256: string;
                            sizeBytes: number;
                            contentType: string;
                        };
                        createdAt: string;
                        updatedAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetArtifact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        artifact: {
                            bucket: string;
                            key: string;
                            sha256: string;
                            sizeBytes: number;
                            contentType: string;
                        };
                        download: {
                            /** @enum {string} */
                            method: "PUT" | "GET";
                            url: string;
                            headers: {
                                [key: string]: string;
                            };
                            expiresAt: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    TransitionStage: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    stage: "None" | "Staging" | "Production" | "Archived";
                    /** @default false */
                    archiveExistingVersions?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        modelName: string;
                        version: number;
                        description: string;
                        /** @enum {string} */
                        status: "PENDING_UPLOAD" | "READY" | "FAILED";
                        statusReason?: string;
                        /** @enum {string} */
                        stage: "None" | "Staging" | "Production" | "Archived";
                        metrics: {
                            [key: string]: number;
                        };
                        params: {
                            [key: string]: string;
                        };
                        tags: {
                            [key: string]: string;
                        };
                        lineage: {
                            trainingRunId?: string;
                            datasetUri?: string;
                            datasetSha256?: string;
                            codeRevision?: string;
                            parentVersion?: number;
                        };
                        governance: {
                            /** Format: uri */
                            modelCardUrl?: string;
                            /** @enum {string} */
                            securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                            /** @enum {string} */
                            loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                            demographicParityDifference?: number;
                        };
                        artifact: {
                            bucket: string;
                            key: string;
                            sha256: string;
                            sizeBytes: number;
                            contentType: string;
                        };
                        createdAt: string;
                        updatedAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Accepted: waiting for sign-off */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        approval: {
                            id: string;
                            modelName: string;
                            version: number;
                            action: {
                                /** @constant */
                                kind: "transition";
                                /** @constant */
                                stage: "Production";
                                archiveExistingVersions: boolean;
                            } | {
                                /** @constant */
                                kind: "rollout";
                                request: {
                                    version: number;
                                    canarySteps?: number[];
                                    bakeMinutes?: number;
                                };
                            } | {
                                /** @constant */
                                kind: "promotion";
                                runId: string;
                            };
                            /** @enum {string} */
                            status: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                            requestedBy: string;
                            author: string;
                            policy: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                            decisions: {
                                principal: string;
                                /** @enum {string} */
                                decision: "approve" | "reject";
                                comment: string;
                                at: string;
                            }[];
                            createdAt: string;
                            expiresAt: string;
                            closedAt?: string;
                            closedReason?: string;
                            startFailure?: {
                                code: string;
                                message: string;
                                at: string;
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListAliases: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            modelName: string;
                            alias: string;
                            version: number;
                            updatedAt: string;
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetAlias: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                alias: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        modelName: string;
                        alias: string;
                        version: number;
                        updatedAt: string;
                        modelVersion: {
                            modelName: string;
                            version: number;
                            description: string;
                            /** @enum {string} */
                            status: "PENDING_UPLOAD" | "READY" | "FAILED";
                            statusReason?: string;
                            /** @enum {string} */
                            stage: "None" | "Staging" | "Production" | "Archived";
                            metrics: {
                                [key: string]: number;
                            };
                            params: {
                                [key: string]: string;
                            };
                            tags: {
                                [key: string]: string;
                            };
                            lineage: {
                                trainingRunId?: string;
                                datasetUri?: string;
                                datasetSha256?: string;
                                codeRevision?: string;
                                parentVersion?: number;
                            };
                            governance: {
                                /** Format: uri */
                                modelCardUrl?: string;
                                /** @enum {string} */
                                securityScan?: "PASSED" | "FAILED" | "NOT_RUN";
                                /** @enum {string} */
                                loadTest?: "PASSED" | "FAILED" | "NOT_RUN";
                                demographicParityDifference?: number;
                            };
                            artifact: {
                                bucket: string;
                                key: string;
                                sha256: string;
                                sizeBytes: number;
                                contentType: string;
                            };
                            createdAt: string;
                            updatedAt: string;
                            createdBy: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    SetAlias: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                alias: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        modelName: string;
                        alias: string;
                        version: number;
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    DeleteAlias: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                alias: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListAudit: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            at: string;
                            actor: string;
                            /** @enum {string} */
                            action: "ModelCreated" | "ModelUpdated" | "ModelDeleted" | "ModelRenamed" | "ModelVersionRegistered" | "ModelVersionUpdated" | "ModelVersionReady" | "ModelVersionFailed" | "ModelVersionStageChanged" | "ModelVersionDeleted" | "ModelAliasSet" | "ModelAliasDeleted" | "ApprovalRequested" | "ApprovalDecided" | "ApprovalExpired" | "ApprovalStartFailed" | "DeploymentStarted" | "DeploymentRefused" | "DeploymentChallengerReady" | "DeploymentTrafficShifted" | "DeploymentStepPassed" | "DeploymentPromoted" | "DeploymentRolledBack" | "RetrainingStarted" | "RetrainingSuppressed" | "ChallengerRegistered" | "RetrainingFinished" | "RetrainingStopRequested" | "TrainingDataAccumulated" | "ExperimentCreated" | "ExperimentStarted" | "ExperimentStopped" | "ExperimentConcluded" | "SampleRatioMismatch" | "BatchPredictionSubmitted" | "BatchPredictionSucceeded" | "BatchPredictionFailed" | "BatchPredictionCancelled" | "DriftDetected" | "QualityDegraded";
                            modelName: string;
                            version?: number;
                            alias?: string;
                            before?: unknown;
                            after?: unknown;
                            requestId?: string;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListApprovals: {
        parameters: {
            query?: {
                status?: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            id: string;
                            modelName: string;
                            version: number;
                            action: {
                                /** @constant */
                                kind: "transition";
                                /** @constant */
                                stage: "Production";
                                archiveExistingVersions: boolean;
                            } | {
                                /** @constant */
                                kind: "rollout";
                                request: {
                                    version: number;
                                    canarySteps?: number[];
                                    bakeMinutes?: number;
                                };
                            } | {
                                /** @constant */
                                kind: "promotion";
                                runId: string;
                            };
                            /** @enum {string} */
                            status: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                            requestedBy: string;
                            author: string;
                            policy: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                            decisions: {
                                principal: string;
                                /** @enum {string} */
                                decision: "approve" | "reject";
                                comment: string;
                                at: string;
                            }[];
                            createdAt: string;
                            expiresAt: string;
                            closedAt?: string;
                            closedReason?: string;
                            startFailure?: {
                                code: string;
                                message: string;
                                at: string;
                            };
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetApproval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        modelName: string;
                        version: number;
                        action: {
                            /** @constant */
                            kind: "transition";
                            /** @constant */
                            stage: "Production";
                            archiveExistingVersions: boolean;
                        } | {
                            /** @constant */
                            kind: "rollout";
                            request: {
                                version: number;
                                canarySteps?: number[];
                                bakeMinutes?: number;
                            };
                        } | {
                            /** @constant */
                            kind: "promotion";
                            runId: string;
                        };
                        /** @enum {string} */
                        status: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                        requestedBy: string;
                        author: string;
                        policy: {
                            approvers: string[];
                            /** @default 1 */
                            quorum: number;
                            /** @default false */
                            authorMayApprove: boolean;
                            /** @default 72 */
                            expiresAfterHours: number;
                        };
                        decisions: {
                            principal: string;
                            /** @enum {string} */
                            decision: "approve" | "reject";
                            comment: string;
                            at: string;
                        }[];
                        createdAt: string;
                        expiresAt: string;
                        closedAt?: string;
                        closedReason?: string;
                        startFailure?: {
                            code: string;
                            message: string;
                            at: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    DecideApproval: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @enum {string} */
                    decision: "approve" | "reject";
                    /** @default  */
                    comment?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        modelName: string;
                        version: number;
                        action: {
                            /** @constant */
                            kind: "transition";
                            /** @constant */
                            stage: "Production";
                            archiveExistingVersions: boolean;
                        } | {
                            /** @constant */
                            kind: "rollout";
                            request: {
                                version: number;
                                canarySteps?: number[];
                                bakeMinutes?: number;
                            };
                        } | {
                            /** @constant */
                            kind: "promotion";
                            runId: string;
                        };
                        /** @enum {string} */
                        status: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                        requestedBy: string;
                        author: string;
                        policy: {
                            approvers: string[];
                            /** @default 1 */
                            quorum: number;
                            /** @default false */
                            authorMayApprove: boolean;
                            /** @default 72 */
                            expiresAfterHours: number;
                        };
                        decisions: {
                            principal: string;
                            /** @enum {string} */
                            decision: "approve" | "reject";
                            comment: string;
                            at: string;
                        }[];
                        createdAt: string;
                        expiresAt: string;
                        closedAt?: string;
                        closedReason?: string;
                        startFailure?: {
                            code: string;
                            message: string;
                            at: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListDeployments: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            deploymentId: string;
                            modelName: string;
                            version: number;
                            endpointName: string;
                            /** @enum {string} */
                            status: "RUNNING" | "PROMOTED" | "ROLLED_BACK" | "REFUSED" | "FAILED";
                            phase: string;
                            steps: number[];
                            weights?: {
                                champion: number;
                                challenger: number;
                            };
                            executionArn?: string;
                            previousVersion?: number;
                            candidateModel?: string;
                            previousModel?: string;
                            alarm?: string;
                            reason?: string;
                            requestedBy: string;
                            createdAt: string;
                            updatedAt: string;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StartDeployment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    canarySteps?: number[];
                    bakeMinutes?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        modelName: string;
                        version: number;
                        endpointName: string;
                        /** @enum {string} */
                        status: "RUNNING" | "PROMOTED" | "ROLLED_BACK" | "REFUSED" | "FAILED";
                        phase: string;
                        steps: number[];
                        weights?: {
                            champion: number;
                            challenger: number;
                        };
                        executionArn?: string;
                        previousVersion?: number;
                        candidateModel?: string;
                        previousModel?: string;
                        alarm?: string;
                        reason?: string;
                        requestedBy: string;
                        createdAt: string;
                        updatedAt: string;
                    } | {
                        approval: {
                            id: string;
                            modelName: string;
                            version: number;
                            action: {
                                /** @constant */
                                kind: "transition";
                                /** @constant */
                                stage: "Production";
                                archiveExistingVersions: boolean;
                            } | {
                                /** @constant */
                                kind: "rollout";
                                request: {
                                    version: number;
                                    canarySteps?: number[];
                                    bakeMinutes?: number;
                                };
                            } | {
                                /** @constant */
                                kind: "promotion";
                                runId: string;
                            };
                            /** @enum {string} */
                            status: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                            requestedBy: string;
                            author: string;
                            policy: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                            decisions: {
                                principal: string;
                                /** @enum {string} */
                                decision: "approve" | "reject";
                                comment: string;
                                at: string;
                            }[];
                            createdAt: string;
                            expiresAt: string;
                            closedAt?: string;
                            closedReason?: string;
                            startFailure?: {
                                code: string;
                                message: string;
                                at: string;
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetDeployment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                deploymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        modelName: string;
                        version: number;
                        endpointName: string;
                        /** @enum {string} */
                        status: "RUNNING" | "PROMOTED" | "ROLLED_BACK" | "REFUSED" | "FAILED";
                        phase: string;
                        steps: number[];
                        weights?: {
                            champion: number;
                            challenger: number;
                        };
                        executionArn?: string;
                        previousVersion?: number;
                        candidateModel?: string;
                        previousModel?: string;
                        alarm?: string;
                        reason?: string;
                        requestedBy: string;
                        createdAt: string;
                        updatedAt: string;
                        execution?: {
                            status: string;
                            startDate?: string;
                            stopDate?: string;
                            error?: string;
                            cause?: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListEndpoints: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            modelName: string;
                            endpointName: string;
                            /** @enum {string} */
                            backend: "sagemaker" | "ecs";
                            status: string;
                            variants: {
                                name: string;
                                version?: number;
                                weight: number;
                                instanceCount: number;
                            }[];
                            rollout?: {
                                deploymentId: string;
                                version: number;
                                phase: string;
                                weights?: {
                                    champion: number;
                                    challenger: number;
                                };
                            };
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListFeatureViews: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            entities: {
                                name: string;
                                /** @enum {string} */
                                valueType: "int64" | "string";
                            }[];
                            features: {
                                name: string;
                                /** @enum {string} */
                                dtype: "int64" | "float64" | "string" | "bool" | "timestamp";
                                /** @default false */
                                required: boolean;
                                min?: number;
                                max?: number;
                                allowedValues?: (string | number)[];
                                /** @default  */
                                description: string;
                            }[];
                            /** @default 0 */
                            ttlSeconds: number;
                            /** @default  */
                            owner: string;
                            /** @default  */
                            description: string;
                            /** @default {} */
                            tags: {
                                [key: string]: string;
                            };
                            /**
                             * @default {
                             *       "type": "push"
                             *     }
                             */
                            source: {
                                /** @constant */
                                type: "push";
                            } | {
                                /** @constant */
                                type: "s3";
                                uri: string;
                                /**
                                 * @default parquet
                                 * @constant
                                 */
                                format: "parquet";
                                /** @default event_timestamp */
                                timestampField: string;
                                createdTimestampField?: string;
                            } | {
                                /** @constant */
                                type: "stream";
                                aggregations: {
                                    /** @enum {string} */
                                    function: "count" | "sum" | "mean" | "min" | "max" | "last";
                                    field?: string;
                                    windowSeconds: number;
                                    name?: string;
                                }[];
                                /** @default 60 */
                                allowedLatenessSeconds: number;
                            };
                            expectedIntervalSeconds?: number;
                            version: number;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateFeatureView: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    entities: {
                        name: string;
                        /** @enum {string} */
                        valueType: "int64" | "string";
                    }[];
                    features: {
                        name: string;
                        /** @enum {string} */
                        dtype: "int64" | "float64" | "string" | "bool" | "timestamp";
                        /** @default false */
                        required?: boolean;
                        min?: number;
                        max?: number;
                        allowedValues?: (string | number)[];
                        /** @default  */
                        description?: string;
                    }[];
                    /** @default 0 */
                    ttlSeconds?: number;
                    /** @default  */
                    owner?: string;
                    /** @default  */
                    description?: string;
                    /** @default {} */
                    tags?: {
                        [key: string]: string;
                    };
                    /**
                     * @default {
                     *       "type": "push"
                     *     }
                     */
                    source?: {
                        /** @constant */
                        type: "push";
                    } | {
                        /** @constant */
                        type: "s3";
                        uri: string;
                        /**
                         * @default parquet
                         * @constant
                         */
                        format?: "parquet";
                        /** @default event_timestamp */
                        timestampField?: string;
                        createdTimestampField?: string;
                    } | {
                        /** @constant */
                        type: "stream";
                        aggregations: {
                            /** @enum {string} */
                            function: "count" | "sum" | "mean" | "min" | "max" | "last";
                            field?: string;
                            windowSeconds: number;
                            name?: string;
                        }[];
                        /** @default 60 */
                        allowedLatenessSeconds?: number;
                    };
                    expectedIntervalSeconds?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        entities: {
                            name: string;
                            /** @enum {string} */
                            valueType: "int64" | "string";
                        }[];
                        features: {
                            name: string;
                            /** @enum {string} */
                            dtype: "int64" | "float64" | "string" | "bool" | "timestamp";
                            /** @default false */
                            required: boolean;
                            min?: number;
                            max?: number;
                            allowedValues?: (string | number)[];
                            /** @default  */
                            description: string;
                        }[];
                        /** @default 0 */
                        ttlSeconds: number;
                        /** @default  */
                        owner: string;
                        /** @default  */
                        description: string;
                        /** @default {} */
                        tags: {
                            [key: string]: string;
                        };
                        /**
                         * @default {
                         *       "type": "push"
                         *     }
                         */
                        source: {
                            /** @constant */
                            type: "push";
                        } | {
                            /** @constant */
                            type: "s3";
                            uri: string;
                            /**
                             * @default parquet
                             * @constant
                             */
                            format: "parquet";
                            /** @default event_timestamp */
                            timestampField: string;
                            createdTimestampField?: string;
                        } | {
                            /** @constant */
                            type: "stream";
                            aggregations: {
                                /** @enum {string} */
                                function: "count" | "sum" | "mean" | "min" | "max" | "last";
                                field?: string;
                                windowSeconds: number;
                                name?: string;
                            }[];
                            /** @default 60 */
                            allowedLatenessSeconds: number;
                        };
                        expectedIntervalSeconds?: number;
                        version: number;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetFeatureView: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        entities: {
                            name: string;
                            /** @enum {string} */
                            valueType: "int64" | "string";
                        }[];
                        features: {
                            name: string;
                            /** @enum {string} */
                            dtype: "int64" | "float64" | "string" | "bool" | "timestamp";
                            /** @default false */
                            required: boolean;
                            min?: number;
                            max?: number;
                            allowedValues?: (string | number)[];
                            /** @default  */
                            description: string;
                        }[];
                        /** @default 0 */
                        ttlSeconds: number;
                        /** @default  */
                        owner: string;
                        /** @default  */
                        description: string;
                        /** @default {} */
                        tags: {
                            [key: string]: string;
                        };
                        /**
                         * @default {
                         *       "type": "push"
                         *     }
                         */
                        source: {
                            /** @constant */
                            type: "push";
                        } | {
                            /** @constant */
                            type: "s3";
                            uri: string;
                            /**
                             * @default parquet
                             * @constant
                             */
                            format: "parquet";
                            /** @default event_timestamp */
                            timestampField: string;
                            createdTimestampField?: string;
                        } | {
                            /** @constant */
                            type: "stream";
                            aggregations: {
                                /** @enum {string} */
                                function: "count" | "sum" | "mean" | "min" | "max" | "last";
                                field?: string;
                                windowSeconds: number;
                                name?: string;
                            }[];
                            /** @default 60 */
                            allowedLatenessSeconds: number;
                        };
                        expectedIntervalSeconds?: number;
                        version: number;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    UpdateFeatureView: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entities: {
                        name: string;
                        /** @enum {string} */
                        valueType: "int64" | "string";
                    }[];
                    features: {
                        name: string;
                        /** @enum {string} */
                        dtype: "int64" | "float64" | "string" | "bool" | "timestamp";
                        /** @default false */
                        required?: boolean;
                        min?: number;
                        max?: number;
                        allowedValues?: (string | number)[];
                        /** @default  */
                        description?: string;
                    }[];
                    /** @default 0 */
                    ttlSeconds?: number;
                    /** @default  */
                    owner?: string;
                    /** @default  */
                    description?: string;
                    /** @default {} */
                    tags?: {
                        [key: string]: string;
                    };
                    /**
                     * @default {
                     *       "type": "push"
                     *     }
                     */
                    source?: {
                        /** @constant */
                        type: "push";
                    } | {
                        /** @constant */
                        type: "s3";
                        uri: string;
                        /**
                         * @default parquet
                         * @constant
                         */
                        format?: "parquet";
                        /** @default event_timestamp */
                        timestampField?: string;
                        createdTimestampField?: string;
                    } | {
                        /** @constant */
                        type: "stream";
                        aggregations: {
                            /** @enum {string} */
                            function: "count" | "sum" | "mean" | "min" | "max" | "last";
                            field?: string;
                            windowSeconds: number;
                            name?: string;
                        }[];
                        /** @default 60 */
                        allowedLatenessSeconds?: number;
                    };
                    expectedIntervalSeconds?: number;
                    expectedVersion?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        entities: {
                            name: string;
                            /** @enum {string} */
                            valueType: "int64" | "string";
                        }[];
                        features: {
                            name: string;
                            /** @enum {string} */
                            dtype: "int64" | "float64" | "string" | "bool" | "timestamp";
                            /** @default false */
                            required: boolean;
                            min?: number;
                            max?: number;
                            allowedValues?: (string | number)[];
                            /** @default  */
                            description: string;
                        }[];
                        /** @default 0 */
                        ttlSeconds: number;
                        /** @default  */
                        owner: string;
                        /** @default  */
                        description: string;
                        /** @default {} */
                        tags: {
                            [key: string]: string;
                        };
                        /**
                         * @default {
                         *       "type": "push"
                         *     }
                         */
                        source: {
                            /** @constant */
                            type: "push";
                        } | {
                            /** @constant */
                            type: "s3";
                            uri: string;
                            /**
                             * @default parquet
                             * @constant
                             */
                            format: "parquet";
                            /** @default event_timestamp */
                            timestampField: string;
                            createdTimestampField?: string;
                        } | {
                            /** @constant */
                            type: "stream";
                            aggregations: {
                                /** @enum {string} */
                                function: "count" | "sum" | "mean" | "min" | "max" | "last";
                                field?: string;
                                windowSeconds: number;
                                name?: string;
                            }[];
                            /** @default 60 */
                            allowedLatenessSeconds: number;
                        };
                        expectedIntervalSeconds?: number;
                        version: number;
                        /** Format: date-time */
                        createdAt: string;
                        /** Format: date-time */
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    DeleteFeatureView: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetFeatureViewFreshness: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        featureView: string;
                        /** @enum {string} */
                        kind: "batch" | "stream";
                        checkedAt: string;
                        /** @enum {string} */
                        status: "PRESENT" | "NOT_FOUND" | "OUTSIDE_MAX_AGE";
                        ageSeconds?: number;
                        maxAgeSeconds?: number;
                        newestEventAt?: string;
                        lastWrittenAt?: string;
                        lastMaterializedAt?: string;
                        expectedIntervalSeconds?: number;
                        watermark?: string;
                        shards?: {
                            shardId: string;
                            watermark: string;
                            flushedAt: string;
                            lagSeconds: number;
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    PushFeatures: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    featureView: string;
                    rows: {
                        [key: string]: string | number | boolean | null;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        featureView: string;
                        rows: number;
                        offlineFiles: number;
                        onlineWritten: number;
                        onlineSkipped: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetOnlineFeatures: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    features: string[];
                    entities: {
                        [key: string]: (number | string)[];
                    };
                    /** @default false */
                    full_feature_names?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        metadata: {
                            feature_names: string[];
                        };
                        results: {
                            values: (string | number | boolean | null)[];
                            statuses: ("PRESENT" | "NOT_FOUND" | "OUTSIDE_MAX_AGE")[];
                            event_timestamps: string[];
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    MaterializeFeatureView: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: date-time */
                    start: string;
                    /** Format: date-time */
                    end: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        featureView: string;
                        filesRead: number;
                        rowsRead: number;
                        itemsConsidered: number;
                        itemsWritten: number;
                        itemsSkipped: number;
                        watermarkMs?: number;
                        rowsErased?: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateTrainingSet: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    features: string[];
                    entityRows?: {
                        [key: string]: string | number | boolean | null;
                    }[];
                    entityRowsUri?: string;
                    /** @default false */
                    fullFeatureNames?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobId: string;
                        /** @enum {string} */
                        status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
                        readonly features: string[];
                        outputUri?: string;
                        rowCount?: number;
                        error?: string;
                        readonly erasureIds?: string[];
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetTrainingSet: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobId: string;
                        /** @enum {string} */
                        status: "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED";
                        readonly features: string[];
                        outputUri?: string;
                        rowCount?: number;
                        error?: string;
                        readonly erasureIds?: string[];
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetReferenceProfile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uri: string;
                        profile: {
                            /** @constant */
                            schemaVersion: 1;
                            modelName: string;
                            modelVersion?: number;
                            createdAt: string;
                            source: string;
                            rowCount: number;
                            features: ({
                                name: string;
                                count: number;
                                missing: number;
                                override?: {
                                    /** @enum {string} */
                                    test?: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                                    threshold?: number;
                                    /** @enum {string} */
                                    type?: "numeric" | "categorical";
                                };
                                /** @constant */
                                type: "numeric";
                                statistics: {
                                    min: number;
                                    max: number;
                                    mean: number;
                                    std: number;
                                };
                                deciles: {
                                    readonly cutPoints: number[];
                                    readonly counts: number[];
                                };
                            } | {
                                name: string;
                                count: number;
                                missing: number;
                                override?: {
                                    /** @enum {string} */
                                    test?: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                                    threshold?: number;
                                    /** @enum {string} */
                                    type?: "numeric" | "categorical";
                                };
                                /** @constant */
                                type: "categorical";
                                counts: {
                                    [key: string]: number;
                                };
                            })[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateReferenceProfile: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    data: {
                        rows: {
                            [key: string]: string | number | boolean | null;
                        }[];
                    } | {
                        uri: string;
                        /** @enum {string} */
                        format?: "csv" | "parquet" | "jsonl" | "json";
                    };
                    features?: string[];
                    /** @default [] */
                    exclude?: string[];
                    /** @default {} */
                    overrides?: {
                        [key: string]: {
                            /** @enum {string} */
                            test?: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                            threshold?: number;
                            /** @enum {string} */
                            type?: "numeric" | "categorical";
                        };
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uri: string;
                        profile: {
                            /** @constant */
                            schemaVersion: 1;
                            modelName: string;
                            modelVersion?: number;
                            createdAt: string;
                            source: string;
                            rowCount: number;
                            features: ({
                                name: string;
                                count: number;
                                missing: number;
                                override?: {
                                    /** @enum {string} */
                                    test?: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                                    threshold?: number;
                                    /** @enum {string} */
                                    type?: "numeric" | "categorical";
                                };
                                /** @constant */
                                type: "numeric";
                                statistics: {
                                    min: number;
                                    max: number;
                                    mean: number;
                                    std: number;
                                };
                                deciles: {
                                    readonly cutPoints: number[];
                                    readonly counts: number[];
                                };
                            } | {
                                name: string;
                                count: number;
                                missing: number;
                                override?: {
                                    /** @enum {string} */
                                    test?: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                                    threshold?: number;
                                    /** @enum {string} */
                                    type?: "numeric" | "categorical";
                                };
                                /** @constant */
                                type: "categorical";
                                counts: {
                                    [key: string]: number;
                                };
                            })[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CheckDrift: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    modelName: string;
                    reference: ({
                        rows: {
                            [key: string]: string | number | boolean | null;
                        }[];
                    } | {
                        uri: string;
                        /** @enum {string} */
                        format?: "csv" | "parquet" | "jsonl" | "json";
                    }) | {
                        modelVersion: number;
                    };
                    current: {
                        rows: {
                            [key: string]: string | number | boolean | null;
                        }[];
                    } | {
                        uri: string;
                        /** @enum {string} */
                        format?: "csv" | "parquet" | "jsonl" | "json";
                    };
                    features?: string[];
                    /** @default [] */
                    exclude?: string[];
                    /** @default {} */
                    overrides?: {
                        [key: string]: {
                            /** @enum {string} */
                            test?: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                            threshold?: number;
                            /** @enum {string} */
                            type?: "numeric" | "categorical";
                        };
                    };
                    driftShareThreshold?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reportId: string;
                        /** @enum {string} */
                        kind: "on-demand" | "scheduled";
                        modelName: string;
                        modelVersion?: number;
                        createdAt: string;
                        referenceRows: number;
                        currentRows: number;
                        window?: {
                            files: number;
                            firstKey?: string;
                            lastKey?: string;
                        };
                        dataset?: {
                            drifted: boolean;
                            driftShare: number;
                            driftShareThreshold: number;
                            numberOfFeatures: number;
                            numberOfDriftedFeatures: number;
                            readonly driftedFeatures: string[];
                        };
                        readonly features: {
                            feature: string;
                            drifted: boolean;
                            /** @enum {string} */
                            type: "numeric" | "categorical";
                            /** @enum {string} */
                            test: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                            /** @enum {string} */
                            scoreKind: "p-value" | "distance";
                            score: number;
                            threshold: number;
                            statistic: number;
                            pValue?: number;
                            referenceSize: number;
                            currentSize: number;
                            missing: number;
                            invalid: number;
                            histogram: {
                                readonly labels: string[];
                                readonly reference: number[];
                                readonly current: number[];
                            };
                        }[];
                        readonly skipped: {
                            feature: string;
                            reason: string;
                        }[];
                        location?: {
                            json: string;
                            html: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    RunMonitoringCheck: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        status: "NO_NEW_CAPTURE";
                        modelName: string;
                    } | {
                        /** @constant */
                        status: "CHECK_IN_PROGRESS";
                        modelName: string;
                        runId: string;
                    } | {
                        /** @constant */
                        status: "REPORTED";
                        modelName: string;
                        report: {
                            reportId: string;
                            /** @enum {string} */
                            kind: "on-demand" | "scheduled";
                            modelName: string;
                            modelVersion?: number;
                            createdAt: string;
                            referenceRows: number;
                            currentRows: number;
                            window?: {
                                files: number;
                                firstKey?: string;
                                lastKey?: string;
                            };
                            dataset?: {
                                drifted: boolean;
                                driftShare: number;
                                driftShareThreshold: number;
                                numberOfFeatures: number;
                                numberOfDriftedFeatures: number;
                                readonly driftedFeatures: string[];
                            };
                            readonly features: {
                                feature: string;
                                drifted: boolean;
                                /** @enum {string} */
                                type: "numeric" | "categorical";
                                /** @enum {string} */
                                test: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                                /** @enum {string} */
                                scoreKind: "p-value" | "distance";
                                score: number;
                                threshold: number;
                                statistic: number;
                                pValue?: number;
                                referenceSize: number;
                                currentSize: number;
                                missing: number;
                                invalid: number;
                                histogram: {
                                    readonly labels: string[];
                                    readonly reference: number[];
                                    readonly current: number[];
                                };
                            }[];
                            readonly skipped: {
                                feature: string;
                                reason: string;
                            }[];
                            location?: {
                                json: string;
                                html: string;
                            };
                        };
                    } | {
                        /** @constant */
                        status: "FANNED_OUT";
                        modelName: string;
                        runId: string;
                        executionArn: string;
                        files: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListMonitoringReports: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            reportId: string;
                            modelName: string;
                            /** @enum {string} */
                            kind: "on-demand" | "scheduled" | "quality";
                            createdAt: string;
                            drifted?: boolean;
                            degraded?: boolean;
                            driftShare?: number;
                            location: {
                                json: string;
                                html?: string;
                            };
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetMonitoringReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                reportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reportId: string;
                        /** @enum {string} */
                        kind: "on-demand" | "scheduled";
                        modelName: string;
                        modelVersion?: number;
                        createdAt: string;
                        referenceRows: number;
                        currentRows: number;
                        window?: {
                            files: number;
                            firstKey?: string;
                            lastKey?: string;
                        };
                        dataset?: {
                            drifted: boolean;
                            driftShare: number;
                            driftShareThreshold: number;
                            numberOfFeatures: number;
                            numberOfDriftedFeatures: number;
                            readonly driftedFeatures: string[];
                        };
                        readonly features: {
                            feature: string;
                            drifted: boolean;
                            /** @enum {string} */
                            type: "numeric" | "categorical";
                            /** @enum {string} */
                            test: "ks" | "chi-square" | "wasserstein" | "jensen-shannon" | "psi";
                            /** @enum {string} */
                            scoreKind: "p-value" | "distance";
                            score: number;
                            threshold: number;
                            statistic: number;
                            pValue?: number;
                            referenceSize: number;
                            currentSize: number;
                            missing: number;
                            invalid: number;
                            histogram: {
                                readonly labels: string[];
                                readonly reference: number[];
                                readonly current: number[];
                            };
                        }[];
                        readonly skipped: {
                            feature: string;
                            reason: string;
                        }[];
                        location?: {
                            json: string;
                            html: string;
                        };
                    } | {
                        reportId: string;
                        /** @constant */
                        kind: "quality";
                        modelName: string;
                        modelVersion: number;
                        createdAt: string;
                        window: {
                            from: string;
                            to: string;
                            files: number;
                            records: number;
                        };
                        joined: number;
                        metrics: {
                            [key: string]: number;
                        };
                        comparison: {
                            metric: string;
                            current: number;
                            baseline?: number;
                            relativeDrop?: number;
                            maxRelativeDrop: number;
                            degraded: boolean;
                        };
                        location?: {
                            json: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetMonitoringReportHtml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                reportId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": unknown;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    PostGroundTruth: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    labels: {
                        inferenceId: string;
                        label: number | string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        modelName: string;
                        accepted: number;
                        experimentOutcomes?: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateQualityReport: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    endpointName: string;
                    /** @default AllTraffic */
                    variant?: string;
                    modelVersion: number;
                    /** Format: date-time */
                    from: string;
                    /** Format: date-time */
                    to: string;
                    quality: {
                        /** @enum {string} */
                        problemType: "binary-classification" | "multiclass-classification" | "regression";
                        baselineMetric?: string;
                        /** @default 0.05 */
                        maxRelativeDrop?: number;
                        /** @default 0.5 */
                        decisionThreshold?: number;
                        /** @default 1 */
                        positiveLabel?: number | string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        reportId: string;
                        /** @constant */
                        kind: "quality";
                        modelName: string;
                        modelVersion: number;
                        createdAt: string;
                        window: {
                            from: string;
                            to: string;
                            files: number;
                            records: number;
                        };
                        joined: number;
                        metrics: {
                            [key: string]: number;
                        };
                        comparison: {
                            metric: string;
                            current: number;
                            baseline?: number;
                            relativeDrop?: number;
                            maxRelativeDrop: number;
                            degraded: boolean;
                        };
                        location?: {
                            json: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Predict: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id?: string;
                    parameters?: {
                        routing_key?: string;
                        entities?: {
                            [key: string]: (string | number)[];
                        };
                    } & {
                        [key: string]: unknown;
                    };
                    /** @description required unless parameters.entities asks for enrichment */
                    inputs?: {
                        name: string;
                        shape: number[];
                        /** @enum {string} */
                        datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                        /** @description flat or nested row-major data */
                        data: unknown[];
                        parameters?: {
                            [key: string]: unknown;
                        };
                    }[];
                    outputs?: {
                        name: string;
                        parameters?: {
                            [key: string]: unknown;
                        };
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_name: string;
                        model_version?: string;
                        id?: string;
                        parameters?: {
                            /** @description the production variant that answered */
                            variant?: string;
                            endpoint_name?: string;
                            /** @description present while an experiment runs on the model's endpoint */
                            experiment?: {
                                name: string;
                                arm: string;
                                version: number;
                                bucket?: number;
                                /** @enum {string} */
                                assigned_by: "routing_key" | "default";
                            };
                        } & {
                            [key: string]: unknown;
                        };
                        outputs: {
                            name: string;
                            shape: number[];
                            /** @enum {string} */
                            datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                            /** @description flat or nested row-major data */
                            data: unknown[];
                            parameters?: {
                                [key: string]: unknown;
                            };
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ServerLive: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        live: boolean;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ServerReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ready: boolean;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ModelMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        versions: string[];
                        platform: string;
                        inputs: {
                            name: string;
                            /** @enum {string} */
                            datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                            shape: number[];
                        }[];
                        outputs: {
                            name: string;
                            /** @enum {string} */
                            datatype: "BOOL" | "UINT8" | "UINT16" | "UINT32" | "UINT64" | "INT8" | "INT16" | "INT32" | "INT64" | "FP16" | "FP32" | "FP64" | "BYTES";
                            shape: number[];
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ModelReady: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        ready: boolean;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListRetrainingRuns: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            runId: string;
                            modelName: string;
                            trigger: {
                                modelName: string;
                                /** @enum {string} */
                                reason: "schedule" | "drift" | "quality" | "data-volume" | "manual";
                                event: {
                                    id: string;
                                    source: string;
                                    detailType: string;
                                    time: string;
                                };
                                dedupKey: string;
                                requestedBy: string;
                            };
                            /** @enum {string} */
                            status: "RUNNING" | "SUCCEEDED" | "FAILED";
                            phase: string;
                            /** @enum {string} */
                            outcome?: "Suppressed" | "DataInvalid" | "TrainingFailed" | "NotImproved" | "GovernanceRefused" | "Promoted" | "RolledBack" | "NotApproved" | "Stopped";
                            reason?: string;
                            executionArn?: string;
                            trainingJobName?: string;
                            metrics?: {
                                challenger?: {
                                    [key: string]: number;
                                };
                                champion?: {
                                    [key: string]: number;
                                };
                            };
                            championVersion?: number;
                            registeredVersion?: number;
                            deploymentId?: string;
                            startedAt: string;
                            updatedAt: string;
                            finishedAt?: string;
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StartRetrainingRun: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @default  */
                    note?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        modelName: string;
                        executionArn: string;
                        /** @constant */
                        status: "STARTING";
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetRetrainingRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        modelName: string;
                        trigger: {
                            modelName: string;
                            /** @enum {string} */
                            reason: "schedule" | "drift" | "quality" | "data-volume" | "manual";
                            event: {
                                id: string;
                                source: string;
                                detailType: string;
                                time: string;
                            };
                            dedupKey: string;
                            requestedBy: string;
                        };
                        /** @enum {string} */
                        status: "RUNNING" | "SUCCEEDED" | "FAILED";
                        phase: string;
                        /** @enum {string} */
                        outcome?: "Suppressed" | "DataInvalid" | "TrainingFailed" | "NotImproved" | "GovernanceRefused" | "Promoted" | "RolledBack" | "NotApproved" | "Stopped";
                        reason?: string;
                        executionArn?: string;
                        trainingJobName?: string;
                        metrics?: {
                            challenger?: {
                                [key: string]: number;
                            };
                            champion?: {
                                [key: string]: number;
                            };
                        };
                        championVersion?: number;
                        registeredVersion?: number;
                        deploymentId?: string;
                        startedAt: string;
                        updatedAt: string;
                        finishedAt?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StopRetrainingRun: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        modelName: string;
                        executionArn: string;
                        /** @constant */
                        status: "STOPPING";
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateErasure: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    entities: {
                        [key: string]: (number | string)[];
                    };
                    /** @default [] */
                    inferenceIds?: string[];
                    /** @default  */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        erasureId: string;
                        /** @enum {string} */
                        status: "PENDING" | "RUNNING" | "COMPLETED" | "FAILED";
                        keyCounts: {
                            [key: string]: number;
                        };
                        reason: string;
                        requestedBy: string;
                        requestedAt: string;
                        updatedAt: string;
                        completedAt?: string;
                        result?: {
                            onlineItemsDeleted: number;
                            offlineFilesRewritten: number;
                            offlineRowsRemoved: number;
                            captureFilesRewritten: number;
                            captureRecordsRemoved: number;
                            groundTruthLabelsDeleted: number;
                            experimentPredictionsDeleted: number;
                            experimentUnitMarkersDeleted: number;
                            experimentOutcomeMarkersRedacted: number;
                            trainingSets: string[];
                            modelVersions: string[];
                        };
                        error?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetErasure: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                erasureId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        erasureId: string;
                        /** @enum {string} */
                        status: "PENDING" | "RUNNING" | "COMPLETED" | "FAILED";
                        keyCounts: {
                            [key: string]: number;
                        };
                        reason: string;
                        requestedBy: string;
                        requestedAt: string;
                        updatedAt: string;
                        completedAt?: string;
                        result?: {
                            onlineItemsDeleted: number;
                            offlineFilesRewritten: number;
                            offlineRowsRemoved: number;
                            captureFilesRewritten: number;
                            captureRecordsRemoved: number;
                            groundTruthLabelsDeleted: number;
                            experimentPredictionsDeleted: number;
                            experimentUnitMarkersDeleted: number;
                            experimentOutcomeMarkersRedacted: number;
                            trainingSets: string[];
                            modelVersions: string[];
                        };
                        error?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    MlflowCreateExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    artifact_location?: string;
                    tags?: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        experiment_id: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetExperiment: {
        parameters: {
            query: {
                experiment_id: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        experiment: {
                            experiment_id: string;
                            name: string;
                            artifact_location: string;
                            /** @enum {string} */
                            lifecycle_stage: "active" | "deleted";
                            creation_time: number;
                            last_update_time: number;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetExperimentByName: {
        parameters: {
            query: {
                experiment_name: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        experiment: {
                            experiment_id: string;
                            name: string;
                            artifact_location: string;
                            /** @enum {string} */
                            lifecycle_stage: "active" | "deleted";
                            creation_time: number;
                            last_update_time: number;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSearchExperimentsGet: {
        parameters: {
            query?: {
                max_results?: number | string;
                page_token?: string;
                filter?: string;
                order_by?: string[] | string;
                view_type?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        experiments: {
                            experiment_id: string;
                            name: string;
                            artifact_location: string;
                            /** @enum {string} */
                            lifecycle_stage: "active" | "deleted";
                            creation_time: number;
                            last_update_time: number;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSearchExperiments: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    max_results?: number | string;
                    page_token?: string;
                    filter?: string;
                    order_by?: string[] | string;
                    /** @enum {string} */
                    view_type?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        experiments: {
                            experiment_id: string;
                            name: string;
                            artifact_location: string;
                            /** @enum {string} */
                            lifecycle_stage: "active" | "deleted";
                            creation_time: number;
                            last_update_time: number;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowUpdateExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_id: string;
                    new_name: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_id: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowRestoreExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_id: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSetExperimentTag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_id: string;
                    key: string;
                    value: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteExperimentTag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_id: string;
                    key: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowCreateRun: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_id?: string;
                    user_id?: string;
                    run_name?: string;
                    start_time?: number | string;
                    tags?: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run: {
                            info: {
                                run_id: string;
                                run_uuid: string;
                                run_name: string;
                                experiment_id: string;
                                user_id: string;
                                /** @enum {string} */
                                status: "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
                                start_time: number;
                                end_time?: number;
                                artifact_uri: string;
                                /** @enum {string} */
                                lifecycle_stage: "active" | "deleted";
                            };
                            data: {
                                metrics: {
                                    key: string;
                                    value: number | ("NaN" | "Infinity" | "-Infinity");
                                    timestamp: number;
                                    step: number;
                                    dataset_name?: string;
                                    dataset_digest?: string;
                                    model_id?: string;
                                    run_id?: string;
                                }[];
                                params: {
                                    key: string;
                                    value: string;
                                }[];
                                tags: {
                                    key: string;
                                    value: string;
                                }[];
                            };
                            inputs: Record<string, never>;
                            outputs?: {
                                model_outputs: {
                                    model_id: string;
                                    step: number;
                                }[];
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetRun: {
        parameters: {
            query?: {
                run_id?: string;
                run_uuid?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run: {
                            info: {
                                run_id: string;
                                run_uuid: string;
                                run_name: string;
                                experiment_id: string;
                                user_id: string;
                                /** @enum {string} */
                                status: "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
                                start_time: number;
                                end_time?: number;
                                artifact_uri: string;
                                /** @enum {string} */
                                lifecycle_stage: "active" | "deleted";
                            };
                            data: {
                                metrics: {
                                    key: string;
                                    value: number | ("NaN" | "Infinity" | "-Infinity");
                                    timestamp: number;
                                    step: number;
                                    dataset_name?: string;
                                    dataset_digest?: string;
                                    model_id?: string;
                                    run_id?: string;
                                }[];
                                params: {
                                    key: string;
                                    value: string;
                                }[];
                                tags: {
                                    key: string;
                                    value: string;
                                }[];
                            };
                            inputs: Record<string, never>;
                            outputs?: {
                                model_outputs: {
                                    model_id: string;
                                    step: number;
                                }[];
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowUpdateRun: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    /** @enum {string} */
                    status?: "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
                    end_time?: number | string;
                    run_name?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        run_info: {
                            run_id: string;
                            run_uuid: string;
                            run_name: string;
                            experiment_id: string;
                            user_id: string;
                            /** @enum {string} */
                            status: "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
                            start_time: number;
                            end_time?: number;
                            artifact_uri: string;
                            /** @enum {string} */
                            lifecycle_stage: "active" | "deleted";
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteRun: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowRestoreRun: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSearchRuns: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    max_results?: number | string;
                    page_token?: string;
                    /** @default [] */
                    experiment_ids?: string[];
                    filter?: string;
                    /** @enum {string} */
                    run_view_type?: "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";
                    order_by?: string[] | string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runs: {
                            info: {
                                run_id: string;
                                run_uuid: string;
                                run_name: string;
                                experiment_id: string;
                                user_id: string;
                                /** @enum {string} */
                                status: "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
                                start_time: number;
                                end_time?: number;
                                artifact_uri: string;
                                /** @enum {string} */
                                lifecycle_stage: "active" | "deleted";
                            };
                            data: {
                                metrics: {
                                    key: string;
                                    value: number | ("NaN" | "Infinity" | "-Infinity");
                                    timestamp: number;
                                    step: number;
                                    dataset_name?: string;
                                    dataset_digest?: string;
                                    model_id?: string;
                                    run_id?: string;
                                }[];
                                params: {
                                    key: string;
                                    value: string;
                                }[];
                                tags: {
                                    key: string;
                                    value: string;
                                }[];
                            };
                            inputs: Record<string, never>;
                            outputs?: {
                                model_outputs: {
                                    model_id: string;
                                    step: number;
                                }[];
                            };
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowLogParam: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    key: string;
                    value: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowLogMetric: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    key: string;
                    value: number | ("NaN" | "Infinity" | "-Infinity");
                    timestamp: number | string;
                    step?: number | string;
                    model_id?: string;
                    dataset_name?: string;
                    dataset_digest?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowLogBatch: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    metrics?: {
                        key: string;
                        value: number | ("NaN" | "Infinity" | "-Infinity");
                        timestamp: number | string;
                        step?: number | string;
                        model_id?: string;
                        dataset_name?: string;
                        dataset_digest?: string;
                    }[];
                    /** @default [] */
                    params?: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                    /** @default [] */
                    tags?: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSetTag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    key: string;
                    value: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteTag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    key: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetMetricHistory: {
        parameters: {
            query: {
                run_id?: string;
                run_uuid?: string;
                metric_key: string;
                max_results?: number | string;
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        metrics: {
                            key: string;
                            value: number | ("NaN" | "Infinity" | "-Infinity");
                            timestamp: number;
                            step: number;
                            dataset_name?: string;
                            dataset_digest?: string;
                            model_id?: string;
                            run_id?: string;
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowListArtifacts: {
        parameters: {
            query?: {
                run_id?: string;
                run_uuid?: string;
                path?: string;
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        root_uri: string;
                        files: {
                            path: string;
                            is_dir: boolean;
                            file_size?: number;
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowCreatePresignedUploadUrl: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    path: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        presigned_url: string;
                        headers: {
                            [key: string]: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowCreatePresignedDownloadUrl: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    path: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        presigned_url: string;
                        headers: {
                            [key: string]: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowCreateRegisteredModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    tags?: {
                        key: string;
                        value: string;
                    }[];
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        registered_model: {
                            name: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            description: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                            aliases: {
                                alias: string;
                                version: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetRegisteredModel: {
        parameters: {
            query: {
                name: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        registered_model: {
                            name: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            description: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                            aliases: {
                                alias: string;
                                version: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowCreateModelVersion: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    source: string;
                    run_id?: string;
                    model_id?: string;
                    tags?: {
                        key: string;
                        value: string;
                    }[];
                    description?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_version: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetModelVersion: {
        parameters: {
            query: {
                name: string;
                version: string | number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_version: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetModelVersionDownloadUri: {
        parameters: {
            query: {
                name: string;
                version: string | number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        artifact_uri: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowTransitionModelVersionStage: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    version: string | number;
                    stage: string;
                    /** @default false */
                    archive_existing_versions?: boolean;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_version: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSearchRegisteredModels: {
        parameters: {
            query?: {
                filter?: string;
                max_results?: number;
                order_by?: string[] | string;
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        registered_models: {
                            name: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            description: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                            aliases: {
                                alias: string;
                                version: string;
                            }[];
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowUpdateRegisteredModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        registered_model: {
                            name: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            description: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                            aliases: {
                                alias: string;
                                version: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowRenameRegisteredModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    new_name: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        registered_model: {
                            name: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            description: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                            aliases: {
                                alias: string;
                                version: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteRegisteredModel: {
        parameters: {
            query?: {
                name?: string;
            };
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSetRegisteredModelTag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    key: string;
                    value: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteRegisteredModelTag: {
        parameters: {
            query?: {
                name?: string;
                key?: string;
            };
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    key: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetLatestVersionsGet: {
        parameters: {
            query: {
                name: string;
                stages?: string[] | string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_versions: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetLatestVersions: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    stages?: string[] | string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_versions: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSearchModelVersions: {
        parameters: {
            query?: {
                filter?: string;
                max_results?: number;
                order_by?: string[] | string;
                page_token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_versions: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowUpdateModelVersion: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    version: string | number;
                    description: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_version: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteModelVersion: {
        parameters: {
            query?: {
                name?: string;
                version?: string | number;
            };
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    version: string | number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSetModelVersionTag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    version: string | number;
                    key: string;
                    value: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteModelVersionTag: {
        parameters: {
            query?: {
                name?: string;
                version?: string | number;
                key?: string;
            };
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    version: string | number;
                    key: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetModelVersionByAlias: {
        parameters: {
            query: {
                name: string;
                alias: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model_version: {
                            name: string;
                            version: string;
                            creation_timestamp: number;
                            last_updated_timestamp: number;
                            current_stage: string;
                            description: string;
                            source: string;
                            run_id: string;
                            /** @enum {string} */
                            status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
                            status_message?: string;
                            tags: {
                                key: string;
                                value: string;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSetRegisteredModelAlias: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    alias: string;
                    version: string | number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteRegisteredModelAlias: {
        parameters: {
            query?: {
                name?: string;
                alias?: string;
            };
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name: string;
                    alias: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowCreateLoggedModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_id: string;
                    name?: string;
                    model_type?: string;
                    source_run_id?: string;
                    params?: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                    tags?: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: {
                            info: {
                                model_id: string;
                                experiment_id: string;
                                name: string;
                                creation_timestamp_ms: number;
                                last_updated_timestamp_ms: number;
                                artifact_uri: string;
                                /** @enum {string} */
                                status: "LOGGED_MODEL_STATUS_UNSPECIFIED" | "LOGGED_MODEL_PENDING" | "LOGGED_MODEL_READY" | "LOGGED_MODEL_UPLOAD_FAILED";
                                model_type?: string;
                                source_run_id?: string;
                                status_message?: string;
                                tags: {
                                    key: string;
                                    value: string;
                                }[];
                            };
                            data: {
                                params: {
                                    key: string;
                                    value: string;
                                }[];
                                metrics: {
                                    key: string;
                                    value: number | ("NaN" | "Infinity" | "-Infinity");
                                    timestamp: number;
                                    step: number;
                                    dataset_name?: string;
                                    dataset_digest?: string;
                                    model_id?: string;
                                    run_id?: string;
                                }[];
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowGetLoggedModel: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: {
                            info: {
                                model_id: string;
                                experiment_id: string;
                                name: string;
                                creation_timestamp_ms: number;
                                last_updated_timestamp_ms: number;
                                artifact_uri: string;
                                /** @enum {string} */
                                status: "LOGGED_MODEL_STATUS_UNSPECIFIED" | "LOGGED_MODEL_PENDING" | "LOGGED_MODEL_READY" | "LOGGED_MODEL_UPLOAD_FAILED";
                                model_type?: string;
                                source_run_id?: string;
                                status_message?: string;
                                tags: {
                                    key: string;
                                    value: string;
                                }[];
                            };
                            data: {
                                params: {
                                    key: string;
                                    value: string;
                                }[];
                                metrics: {
                                    key: string;
                                    value: number | ("NaN" | "Infinity" | "-Infinity");
                                    timestamp: number;
                                    step: number;
                                    dataset_name?: string;
                                    dataset_digest?: string;
                                    model_id?: string;
                                    run_id?: string;
                                }[];
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteLoggedModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    model_id?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowFinalizeLoggedModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    model_id?: string;
                    /** @enum {string} */
                    status: "LOGGED_MODEL_READY" | "LOGGED_MODEL_UPLOAD_FAILED";
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        model: {
                            info: {
                                model_id: string;
                                experiment_id: string;
                                name: string;
                                creation_timestamp_ms: number;
                                last_updated_timestamp_ms: number;
                                artifact_uri: string;
                                /** @enum {string} */
                                status: "LOGGED_MODEL_STATUS_UNSPECIFIED" | "LOGGED_MODEL_PENDING" | "LOGGED_MODEL_READY" | "LOGGED_MODEL_UPLOAD_FAILED";
                                model_type?: string;
                                source_run_id?: string;
                                status_message?: string;
                                tags: {
                                    key: string;
                                    value: string;
                                }[];
                            };
                            data: {
                                params: {
                                    key: string;
                                    value: string;
                                }[];
                                metrics: {
                                    key: string;
                                    value: number | ("NaN" | "Infinity" | "-Infinity");
                                    timestamp: number;
                                    step: number;
                                    dataset_name?: string;
                                    dataset_digest?: string;
                                    model_id?: string;
                                    run_id?: string;
                                }[];
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSearchLoggedModels: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    experiment_ids: string[];
                    filter?: string;
                    datasets?: {
                        dataset_name?: string;
                        dataset_digest?: string;
                    }[];
                    max_results?: number;
                    order_by?: {
                        field_name: string;
                        /** @default true */
                        ascending?: boolean;
                        dataset_name?: string;
                        dataset_digest?: string;
                    }[];
                    page_token?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        models: {
                            info: {
                                model_id: string;
                                experiment_id: string;
                                name: string;
                                creation_timestamp_ms: number;
                                last_updated_timestamp_ms: number;
                                artifact_uri: string;
                                /** @enum {string} */
                                status: "LOGGED_MODEL_STATUS_UNSPECIFIED" | "LOGGED_MODEL_PENDING" | "LOGGED_MODEL_READY" | "LOGGED_MODEL_UPLOAD_FAILED";
                                model_type?: string;
                                source_run_id?: string;
                                status_message?: string;
                                tags: {
                                    key: string;
                                    value: string;
                                }[];
                            };
                            data: {
                                params: {
                                    key: string;
                                    value: string;
                                }[];
                                metrics: {
                                    key: string;
                                    value: number | ("NaN" | "Infinity" | "-Infinity");
                                    timestamp: number;
                                    step: number;
                                    dataset_name?: string;
                                    dataset_digest?: string;
                                    model_id?: string;
                                    run_id?: string;
                                }[];
                            };
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowSetLoggedModelTags: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    model_id?: string;
                    tags: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowDeleteLoggedModelTag: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                model_id: string;
                tag_key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowLogLoggedModelParams: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    model_id?: string;
                    params: {
                        key: string;
                        /** @default  */
                        value?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowListLoggedModelArtifacts: {
        parameters: {
            query?: {
                artifact_directory_path?: string;
                page_token?: string;
            };
            header?: never;
            path: {
                model_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        root_uri: string;
                        files: {
                            path: string;
                            is_dir: boolean;
                            file_size?: number;
                        }[];
                        next_page_token?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowLogOutputs: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id: string;
                    models: {
                        model_id: string;
                        step?: number;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowLogModel: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    run_id?: string;
                    run_uuid?: string;
                    model_json: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowArtifactsDownload: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description the rest of the path */
                artifact_path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": unknown;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowArtifactsUpload: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description the rest of the path */
                artifact_path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowArtifactsDelete: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description the rest of the path */
                artifact_path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowArtifactsList: {
        parameters: {
            query?: {
                path?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        files: {
                            path: string;
                            is_dir: boolean;
                            file_size?: number;
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowArtifactsCreateMultipart: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description the rest of the path */
                artifact_path: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    path?: string;
                    num_parts: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        upload_id: string;
                        credentials: {
                            url: string;
                            part_number: number;
                            headers: {
                                [key: string]: string;
                            };
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowArtifactsCompleteMultipart: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description the rest of the path */
                artifact_path: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    path?: string;
                    upload_id: string;
                    parts: {
                        part_number: number;
                        etag: string;
                        url?: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    MlflowArtifactsAbortMultipart: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description the rest of the path */
                artifact_path: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    path?: string;
                    upload_id: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MlflowError"];
                };
            };
        };
    };
    ListExperiments: {
        parameters: {
            query?: {
                status?: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                modelName?: string;
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            modelName: string;
                            description?: string;
                            arms: {
                                name: string;
                                version: number;
                                trafficPercent: number;
                            }[];
                            control: string;
                            /** @constant */
                            randomizationUnit: "routing_key";
                            primaryMetric: {
                                name: string;
                                /** @constant */
                                kind: "proportion";
                                /** @enum {string} */
                                betterDirection: "higher" | "lower";
                                baselineRate: number;
                                groundTruth?: {
                                    /** @enum {string} */
                                    value: "correct" | "label" | "absoluteError";
                                    decisionThreshold?: number;
                                };
                            } | {
                                name: string;
                                /** @constant */
                                kind: "mean";
                                /** @enum {string} */
                                betterDirection: "higher" | "lower";
                                baselineMean: number;
                                baselineStandardDeviation: number;
                                groundTruth?: {
                                    /** @enum {string} */
                                    value: "correct" | "label" | "absoluteError";
                                    decisionThreshold?: number;
                                };
                            };
                            secondaryMetrics: {
                                name: string;
                                /** @enum {string} */
                                kind: "proportion" | "mean";
                                /** @enum {string} */
                                betterDirection: "higher" | "lower";
                                groundTruth?: {
                                    /** @enum {string} */
                                    value: "correct" | "label" | "absoluteError";
                                    decisionThreshold?: number;
                                };
                            }[];
                            guardrailMetrics: {
                                name: string;
                                /** @enum {string} */
                                kind: "proportion" | "mean";
                                /** @enum {string} */
                                betterDirection: "higher" | "lower";
                                groundTruth?: {
                                    /** @enum {string} */
                                    value: "correct" | "label" | "absoluteError";
                                    decisionThreshold?: number;
                                };
                                maxRelativeDegradationPercent: number;
                            }[];
                            minimumDetectableEffect: number;
                            alpha: number;
                            power: number;
                            /** @enum {string} */
                            analysis: "fixed-horizon" | "sequential";
                            /** @enum {string} */
                            status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                            salt: string;
                            sampleSize: {
                                perArm: {
                                    [key: string]: number;
                                };
                                effectSize: number;
                                /** @enum {string} */
                                method: "NormalIndPower" | "TTestIndPower";
                            };
                            createdAt: string;
                            updatedAt: string;
                            startedAt?: string;
                            endedAt?: string;
                            reason?: string;
                            winner?: string;
                            deploymentId?: string;
                            treatmentVariant?: {
                                /** @enum {string} */
                                phase: "DEPLOYING" | "SERVING" | "REMOVING" | "REMOVED";
                                id: string;
                                version: number;
                                resources: {
                                    [key: string]: string | boolean;
                                };
                                polls: number;
                                reason?: string;
                            };
                            promotion?: {
                                version: number;
                                /** @enum {string} */
                                status: "PENDING" | "AWAITING_APPROVAL" | "STARTED" | "REFUSED";
                                approvalId?: string;
                                requestedBy: string;
                                reason?: string;
                            };
                            revision: number;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    modelName: string;
                    description?: string;
                    arms: {
                        name: string;
                        version: number;
                        trafficPercent: number;
                    }[];
                    control: string;
                    /**
                     * @default routing_key
                     * @constant
                     */
                    randomizationUnit?: "routing_key";
                    primaryMetric: {
                        name: string;
                        /** @constant */
                        kind: "proportion";
                        /** @enum {string} */
                        betterDirection: "higher" | "lower";
                        baselineRate: number;
                        groundTruth?: {
                            /** @enum {string} */
                            value: "correct" | "label" | "absoluteError";
                            decisionThreshold?: number;
                        };
                    } | {
                        name: string;
                        /** @constant */
                        kind: "mean";
                        /** @enum {string} */
                        betterDirection: "higher" | "lower";
                        baselineMean: number;
                        baselineStandardDeviation: number;
                        groundTruth?: {
                            /** @enum {string} */
                            value: "correct" | "label" | "absoluteError";
                            decisionThreshold?: number;
                        };
                    };
                    /** @default [] */
                    secondaryMetrics?: {
                        name: string;
                        /** @enum {string} */
                        kind: "proportion" | "mean";
                        /** @enum {string} */
                        betterDirection: "higher" | "lower";
                        groundTruth?: {
                            /** @enum {string} */
                            value: "correct" | "label" | "absoluteError";
                            decisionThreshold?: number;
                        };
                    }[];
                    /** @default [] */
                    guardrailMetrics?: {
                        name: string;
                        /** @enum {string} */
                        kind: "proportion" | "mean";
                        /** @enum {string} */
                        betterDirection: "higher" | "lower";
                        groundTruth?: {
                            /** @enum {string} */
                            value: "correct" | "label" | "absoluteError";
                            decisionThreshold?: number;
                        };
                        maxRelativeDegradationPercent: number;
                    }[];
                    minimumDetectableEffect: number;
                    /** @default 0.05 */
                    alpha?: number;
                    /** @default 0.8 */
                    power?: number;
                    /**
                     * @default sequential
                     * @enum {string}
                     */
                    analysis?: "fixed-horizon" | "sequential";
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        modelName: string;
                        description?: string;
                        arms: {
                            name: string;
                            version: number;
                            trafficPercent: number;
                        }[];
                        control: string;
                        /** @constant */
                        randomizationUnit: "routing_key";
                        primaryMetric: {
                            name: string;
                            /** @constant */
                            kind: "proportion";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineRate: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        } | {
                            name: string;
                            /** @constant */
                            kind: "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineMean: number;
                            baselineStandardDeviation: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        };
                        secondaryMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        }[];
                        guardrailMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                            maxRelativeDegradationPercent: number;
                        }[];
                        minimumDetectableEffect: number;
                        alpha: number;
                        power: number;
                        /** @enum {string} */
                        analysis: "fixed-horizon" | "sequential";
                        /** @enum {string} */
                        status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                        salt: string;
                        sampleSize: {
                            perArm: {
                                [key: string]: number;
                            };
                            effectSize: number;
                            /** @enum {string} */
                            method: "NormalIndPower" | "TTestIndPower";
                        };
                        createdAt: string;
                        updatedAt: string;
                        startedAt?: string;
                        endedAt?: string;
                        reason?: string;
                        winner?: string;
                        deploymentId?: string;
                        treatmentVariant?: {
                            /** @enum {string} */
                            phase: "DEPLOYING" | "SERVING" | "REMOVING" | "REMOVED";
                            id: string;
                            version: number;
                            resources: {
                                [key: string]: string | boolean;
                            };
                            polls: number;
                            reason?: string;
                        };
                        promotion?: {
                            version: number;
                            /** @enum {string} */
                            status: "PENDING" | "AWAITING_APPROVAL" | "STARTED" | "REFUSED";
                            approvalId?: string;
                            requestedBy: string;
                            reason?: string;
                        };
                        revision: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetExperiment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        modelName: string;
                        description?: string;
                        arms: {
                            name: string;
                            version: number;
                            trafficPercent: number;
                        }[];
                        control: string;
                        /** @constant */
                        randomizationUnit: "routing_key";
                        primaryMetric: {
                            name: string;
                            /** @constant */
                            kind: "proportion";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineRate: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        } | {
                            name: string;
                            /** @constant */
                            kind: "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineMean: number;
                            baselineStandardDeviation: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        };
                        secondaryMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        }[];
                        guardrailMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                            maxRelativeDegradationPercent: number;
                        }[];
                        minimumDetectableEffect: number;
                        alpha: number;
                        power: number;
                        /** @enum {string} */
                        analysis: "fixed-horizon" | "sequential";
                        /** @enum {string} */
                        status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                        salt: string;
                        sampleSize: {
                            perArm: {
                                [key: string]: number;
                            };
                            effectSize: number;
                            /** @enum {string} */
                            method: "NormalIndPower" | "TTestIndPower";
                        };
                        createdAt: string;
                        updatedAt: string;
                        startedAt?: string;
                        endedAt?: string;
                        reason?: string;
                        winner?: string;
                        deploymentId?: string;
                        treatmentVariant?: {
                            /** @enum {string} */
                            phase: "DEPLOYING" | "SERVING" | "REMOVING" | "REMOVED";
                            id: string;
                            version: number;
                            resources: {
                                [key: string]: string | boolean;
                            };
                            polls: number;
                            reason?: string;
                        };
                        promotion?: {
                            version: number;
                            /** @enum {string} */
                            status: "PENDING" | "AWAITING_APPROVAL" | "STARTED" | "REFUSED";
                            approvalId?: string;
                            requestedBy: string;
                            reason?: string;
                        };
                        revision: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StartExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        modelName: string;
                        description?: string;
                        arms: {
                            name: string;
                            version: number;
                            trafficPercent: number;
                        }[];
                        control: string;
                        /** @constant */
                        randomizationUnit: "routing_key";
                        primaryMetric: {
                            name: string;
                            /** @constant */
                            kind: "proportion";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineRate: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        } | {
                            name: string;
                            /** @constant */
                            kind: "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineMean: number;
                            baselineStandardDeviation: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        };
                        secondaryMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        }[];
                        guardrailMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                            maxRelativeDegradationPercent: number;
                        }[];
                        minimumDetectableEffect: number;
                        alpha: number;
                        power: number;
                        /** @enum {string} */
                        analysis: "fixed-horizon" | "sequential";
                        /** @enum {string} */
                        status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                        salt: string;
                        sampleSize: {
                            perArm: {
                                [key: string]: number;
                            };
                            effectSize: number;
                            /** @enum {string} */
                            method: "NormalIndPower" | "TTestIndPower";
                        };
                        createdAt: string;
                        updatedAt: string;
                        startedAt?: string;
                        endedAt?: string;
                        reason?: string;
                        winner?: string;
                        deploymentId?: string;
                        treatmentVariant?: {
                            /** @enum {string} */
                            phase: "DEPLOYING" | "SERVING" | "REMOVING" | "REMOVED";
                            id: string;
                            version: number;
                            resources: {
                                [key: string]: string | boolean;
                            };
                            polls: number;
                            reason?: string;
                        };
                        promotion?: {
                            version: number;
                            /** @enum {string} */
                            status: "PENDING" | "AWAITING_APPROVAL" | "STARTED" | "REFUSED";
                            approvalId?: string;
                            requestedBy: string;
                            reason?: string;
                        };
                        revision: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StopExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        modelName: string;
                        description?: string;
                        arms: {
                            name: string;
                            version: number;
                            trafficPercent: number;
                        }[];
                        control: string;
                        /** @constant */
                        randomizationUnit: "routing_key";
                        primaryMetric: {
                            name: string;
                            /** @constant */
                            kind: "proportion";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineRate: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        } | {
                            name: string;
                            /** @constant */
                            kind: "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineMean: number;
                            baselineStandardDeviation: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        };
                        secondaryMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        }[];
                        guardrailMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                            maxRelativeDegradationPercent: number;
                        }[];
                        minimumDetectableEffect: number;
                        alpha: number;
                        power: number;
                        /** @enum {string} */
                        analysis: "fixed-horizon" | "sequential";
                        /** @enum {string} */
                        status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                        salt: string;
                        sampleSize: {
                            perArm: {
                                [key: string]: number;
                            };
                            effectSize: number;
                            /** @enum {string} */
                            method: "NormalIndPower" | "TTestIndPower";
                        };
                        createdAt: string;
                        updatedAt: string;
                        startedAt?: string;
                        endedAt?: string;
                        reason?: string;
                        winner?: string;
                        deploymentId?: string;
                        treatmentVariant?: {
                            /** @enum {string} */
                            phase: "DEPLOYING" | "SERVING" | "REMOVING" | "REMOVED";
                            id: string;
                            version: number;
                            resources: {
                                [key: string]: string | boolean;
                            };
                            polls: number;
                            reason?: string;
                        };
                        promotion?: {
                            version: number;
                            /** @enum {string} */
                            status: "PENDING" | "AWAITING_APPROVAL" | "STARTED" | "REFUSED";
                            approvalId?: string;
                            requestedBy: string;
                            reason?: string;
                        };
                        revision: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ConcludeExperiment: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    winner: string;
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        modelName: string;
                        description?: string;
                        arms: {
                            name: string;
                            version: number;
                            trafficPercent: number;
                        }[];
                        control: string;
                        /** @constant */
                        randomizationUnit: "routing_key";
                        primaryMetric: {
                            name: string;
                            /** @constant */
                            kind: "proportion";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineRate: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        } | {
                            name: string;
                            /** @constant */
                            kind: "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineMean: number;
                            baselineStandardDeviation: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        };
                        secondaryMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        }[];
                        guardrailMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                            maxRelativeDegradationPercent: number;
                        }[];
                        minimumDetectableEffect: number;
                        alpha: number;
                        power: number;
                        /** @enum {string} */
                        analysis: "fixed-horizon" | "sequential";
                        /** @enum {string} */
                        status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                        salt: string;
                        sampleSize: {
                            perArm: {
                                [key: string]: number;
                            };
                            effectSize: number;
                            /** @enum {string} */
                            method: "NormalIndPower" | "TTestIndPower";
                        };
                        createdAt: string;
                        updatedAt: string;
                        startedAt?: string;
                        endedAt?: string;
                        reason?: string;
                        winner?: string;
                        deploymentId?: string;
                        treatmentVariant?: {
                            /** @enum {string} */
                            phase: "DEPLOYING" | "SERVING" | "REMOVING" | "REMOVED";
                            id: string;
                            version: number;
                            resources: {
                                [key: string]: string | boolean;
                            };
                            polls: number;
                            reason?: string;
                        };
                        promotion?: {
                            version: number;
                            /** @enum {string} */
                            status: "PENDING" | "AWAITING_APPROVAL" | "STARTED" | "REFUSED";
                            approvalId?: string;
                            requestedBy: string;
                            reason?: string;
                        };
                        revision: number;
                    };
                };
            };
            /** @description Accepted: waiting for sign-off */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        modelName: string;
                        description?: string;
                        arms: {
                            name: string;
                            version: number;
                            trafficPercent: number;
                        }[];
                        control: string;
                        /** @constant */
                        randomizationUnit: "routing_key";
                        primaryMetric: {
                            name: string;
                            /** @constant */
                            kind: "proportion";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineRate: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        } | {
                            name: string;
                            /** @constant */
                            kind: "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            baselineMean: number;
                            baselineStandardDeviation: number;
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        };
                        secondaryMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                        }[];
                        guardrailMetrics: {
                            name: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            groundTruth?: {
                                /** @enum {string} */
                                value: "correct" | "label" | "absoluteError";
                                decisionThreshold?: number;
                            };
                            maxRelativeDegradationPercent: number;
                        }[];
                        minimumDetectableEffect: number;
                        alpha: number;
                        power: number;
                        /** @enum {string} */
                        analysis: "fixed-horizon" | "sequential";
                        /** @enum {string} */
                        status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                        salt: string;
                        sampleSize: {
                            perArm: {
                                [key: string]: number;
                            };
                            effectSize: number;
                            /** @enum {string} */
                            method: "NormalIndPower" | "TTestIndPower";
                        };
                        createdAt: string;
                        updatedAt: string;
                        startedAt?: string;
                        endedAt?: string;
                        reason?: string;
                        winner?: string;
                        deploymentId?: string;
                        treatmentVariant?: {
                            /** @enum {string} */
                            phase: "DEPLOYING" | "SERVING" | "REMOVING" | "REMOVED";
                            id: string;
                            version: number;
                            resources: {
                                [key: string]: string | boolean;
                            };
                            polls: number;
                            reason?: string;
                        };
                        promotion?: {
                            version: number;
                            /** @enum {string} */
                            status: "PENDING" | "AWAITING_APPROVAL" | "STARTED" | "REFUSED";
                            approvalId?: string;
                            requestedBy: string;
                            reason?: string;
                        };
                        revision: number;
                        approval: {
                            id: string;
                            modelName: string;
                            version: number;
                            action: {
                                /** @constant */
                                kind: "transition";
                                /** @constant */
                                stage: "Production";
                                archiveExistingVersions: boolean;
                            } | {
                                /** @constant */
                                kind: "rollout";
                                request: {
                                    version: number;
                                    canarySteps?: number[];
                                    bakeMinutes?: number;
                                };
                            } | {
                                /** @constant */
                                kind: "promotion";
                                runId: string;
                            };
                            /** @enum {string} */
                            status: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                            requestedBy: string;
                            author: string;
                            policy: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                            decisions: {
                                principal: string;
                                /** @enum {string} */
                                decision: "approve" | "reject";
                                comment: string;
                                at: string;
                            }[];
                            createdAt: string;
                            expiresAt: string;
                            closedAt?: string;
                            closedReason?: string;
                            startFailure?: {
                                code: string;
                                message: string;
                                at: string;
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    RecordOutcomes: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    outcomes: {
                        unit: string;
                        metric: string;
                        value: number;
                        /** Format: date-time */
                        time: string;
                        eventId: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted: number;
                        duplicates: number;
                        erased: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetExperimentResults: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        status: "DRAFT" | "RUNNING" | "STOPPED" | "CONCLUDED";
                        /** @enum {string} */
                        analysis: "fixed-horizon" | "sequential";
                        alpha: number;
                        units: {
                            [key: string]: number;
                        };
                        sampleRatio: {
                            statistic: number;
                            pValue: number;
                            mismatch: boolean;
                        };
                        sampleSize: {
                            required: {
                                [key: string]: number;
                            };
                            reached: boolean;
                        };
                        readonly metrics: {
                            metric: string;
                            /** @enum {string} */
                            kind: "proportion" | "mean";
                            /** @enum {string} */
                            role: "primary" | "secondary" | "guardrail";
                            /** @enum {string} */
                            betterDirection: "higher" | "lower";
                            readonly arms: {
                                arm: string;
                                n: number;
                                mean: number;
                                interval: {
                                    lower: number;
                                    upper: number;
                                };
                            }[];
                            effect?: {
                                absolute: number;
                                absoluteInterval: {
                                    lower: number;
                                    upper: number;
                                };
                                relative: number;
                                relativeInterval: {
                                    lower: number;
                                    upper: number;
                                };
                                statistic: number;
                                pValue: number;
                                pValueHolm?: number;
                                pValueBenjaminiHochberg?: number;
                            };
                            breached?: boolean;
                        }[];
                        /** @enum {string} */
                        verdict: "TREATMENT_BETTER" | "TREATMENT_WORSE" | "INCONCLUSIVE" | "NOT_READY" | "HIDDEN";
                        computedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetExperimentReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html; charset=utf-8": unknown;
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateBatchPrediction: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    model: string;
                    version?: number;
                    alias?: string;
                    input: {
                        uri: string;
                        /** @enum {string} */
                        format: "csv" | "jsonl" | "parquet";
                    } | {
                        featureView: string;
                        entities: string;
                        /** Format: date-time */
                        asOf?: string;
                    };
                    keyColumn: string;
                    output: {
                        uri: string;
                        /**
                         * @default jsonl
                         * @enum {string}
                         */
                        format?: "jsonl" | "csv";
                    };
                    /** @enum {string} */
                    engine?: "map" | "transform";
                    /** @default 5 */
                    toleratedFailurePercent?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobId: string;
                        modelName: string;
                        version: number;
                        alias?: string;
                        /** @enum {string} */
                        engine: "map" | "transform";
                        /** @enum {string} */
                        status: "SUBMITTED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
                        statusReason?: string;
                        input: {
                            uri: string;
                            /** @enum {string} */
                            format: "csv" | "jsonl" | "parquet";
                        } | {
                            featureView: string;
                            entities: string;
                            /** Format: date-time */
                            asOf?: string;
                        };
                        keyColumn: string;
                        toleratedFailurePercent: number;
                        output: {
                            uri: string;
                            /** @enum {string} */
                            format: "jsonl" | "csv";
                            predictions: string;
                            deadLetter: string;
                        };
                        counts: {
                            read: number;
                            predicted: number;
                            failed: number;
                        };
                        progress: number;
                        /** @enum {string} */
                        countsCheck?: "MATCHED" | "MISMATCHED";
                        attempt: number;
                        createdAt: string;
                        startedAt?: string;
                        finishedAt?: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateBatchUpload: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    fileName: string;
                    contentLength: number;
                    contentType?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        uri: string;
                        upload: {
                            /** @constant */
                            method: "PUT";
                            url: string;
                            headers: {
                                [key: string]: string;
                            };
                            expiresAt: string;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetBatchPrediction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobId: string;
                        modelName: string;
                        version: number;
                        alias?: string;
                        /** @enum {string} */
                        engine: "map" | "transform";
                        /** @enum {string} */
                        status: "SUBMITTED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
                        statusReason?: string;
                        input: {
                            uri: string;
                            /** @enum {string} */
                            format: "csv" | "jsonl" | "parquet";
                        } | {
                            featureView: string;
                            entities: string;
                            /** Format: date-time */
                            asOf?: string;
                        };
                        keyColumn: string;
                        toleratedFailurePercent: number;
                        output: {
                            uri: string;
                            /** @enum {string} */
                            format: "jsonl" | "csv";
                            predictions: string;
                            deadLetter: string;
                        };
                        counts: {
                            read: number;
                            predicted: number;
                            failed: number;
                        };
                        progress: number;
                        /** @enum {string} */
                        countsCheck?: "MATCHED" | "MISMATCHED";
                        attempt: number;
                        createdAt: string;
                        startedAt?: string;
                        finishedAt?: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListBatchPredictionOutput: {
        parameters: {
            query?: {
                part?: "predictions" | "dead-letter";
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            uri: string;
                            sizeBytes: number;
                            download: {
                                /** @constant */
                                method: "GET";
                                url: string;
                                headers: {
                                    [key: string]: string;
                                };
                                expiresAt: string;
                            };
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListModelBatchPredictions: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            jobId: string;
                            modelName: string;
                            version: number;
                            alias?: string;
                            /** @enum {string} */
                            engine: "map" | "transform";
                            /** @enum {string} */
                            status: "SUBMITTED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
                            statusReason?: string;
                            input: {
                                uri: string;
                                /** @enum {string} */
                                format: "csv" | "jsonl" | "parquet";
                            } | {
                                featureView: string;
                                entities: string;
                                /** Format: date-time */
                                asOf?: string;
                            };
                            keyColumn: string;
                            toleratedFailurePercent: number;
                            output: {
                                uri: string;
                                /** @enum {string} */
                                format: "jsonl" | "csv";
                                predictions: string;
                                deadLetter: string;
                            };
                            counts: {
                                read: number;
                                predicted: number;
                                failed: number;
                            };
                            progress: number;
                            /** @enum {string} */
                            countsCheck?: "MATCHED" | "MISMATCHED";
                            attempt: number;
                            createdAt: string;
                            startedAt?: string;
                            finishedAt?: string;
                            createdBy: string;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CancelBatchPrediction: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobId: string;
                        modelName: string;
                        version: number;
                        alias?: string;
                        /** @enum {string} */
                        engine: "map" | "transform";
                        /** @enum {string} */
                        status: "SUBMITTED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
                        statusReason?: string;
                        input: {
                            uri: string;
                            /** @enum {string} */
                            format: "csv" | "jsonl" | "parquet";
                        } | {
                            featureView: string;
                            entities: string;
                            /** Format: date-time */
                            asOf?: string;
                        };
                        keyColumn: string;
                        toleratedFailurePercent: number;
                        output: {
                            uri: string;
                            /** @enum {string} */
                            format: "jsonl" | "csv";
                            predictions: string;
                            deadLetter: string;
                        };
                        counts: {
                            read: number;
                            predicted: number;
                            failed: number;
                        };
                        progress: number;
                        /** @enum {string} */
                        countsCheck?: "MATCHED" | "MISMATCHED";
                        attempt: number;
                        createdAt: string;
                        startedAt?: string;
                        finishedAt?: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ResumeBatchPrediction: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                jobId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        jobId: string;
                        modelName: string;
                        version: number;
                        alias?: string;
                        /** @enum {string} */
                        engine: "map" | "transform";
                        /** @enum {string} */
                        status: "SUBMITTED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "CANCELLED";
                        statusReason?: string;
                        input: {
                            uri: string;
                            /** @enum {string} */
                            format: "csv" | "jsonl" | "parquet";
                        } | {
                            featureView: string;
                            entities: string;
                            /** Format: date-time */
                            asOf?: string;
                        };
                        keyColumn: string;
                        toleratedFailurePercent: number;
                        output: {
                            uri: string;
                            /** @enum {string} */
                            format: "jsonl" | "csv";
                            predictions: string;
                            deadLetter: string;
                        };
                        counts: {
                            read: number;
                            predicted: number;
                            failed: number;
                        };
                        progress: number;
                        /** @enum {string} */
                        countsCheck?: "MATCHED" | "MISMATCHED";
                        attempt: number;
                        createdAt: string;
                        startedAt?: string;
                        finishedAt?: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreatePrompt: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                    /** @default {} */
                    tags?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        description: string;
                        tags: {
                            [key: string]: string;
                        };
                        latestVersion: number;
                        createdAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetPrompt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        description: string;
                        tags: {
                            [key: string]: string;
                        };
                        latestVersion: number;
                        createdAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreatePromptVersion: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    template: string | {
                        /** @enum {string} */
                        role: "system" | "user" | "assistant";
                        content: string;
                    }[];
                    /** @default [] */
                    variables?: string[];
                    /** @default {} */
                    modelParameters?: {
                        temperature?: number;
                        top_p?: number;
                        max_tokens?: number;
                        stop?: string[];
                    };
                    /** @default  */
                    commitMessage?: string;
                    /** @default {} */
                    tags?: {
                        [key: string]: string;
                    };
                    retrieval?: {
                        collection: string;
                        query: string;
                        context: string;
                        /** @default 4 */
                        k?: number;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        version: number;
                        template: string | {
                            /** @enum {string} */
                            role: "system" | "user" | "assistant";
                            content: string;
                        }[];
                        variables: string[];
                        modelParameters: {
                            temperature?: number;
                            top_p?: number;
                            max_tokens?: number;
                            stop?: string[];
                        };
                        commitMessage: string;
                        retrieval?: {
                            collection: string;
                            query: string;
                            context: string;
                            /** @default 4 */
                            k: number;
                        };
                        tags: {
                            [key: string]: string;
                        };
                        sha256: string;
                        createdAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetPromptVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        version: number;
                        template: string | {
                            /** @enum {string} */
                            role: "system" | "user" | "assistant";
                            content: string;
                        }[];
                        variables: string[];
                        modelParameters: {
                            temperature?: number;
                            top_p?: number;
                            max_tokens?: number;
                            stop?: string[];
                        };
                        commitMessage: string;
                        retrieval?: {
                            collection: string;
                            query: string;
                            context: string;
                            /** @default 4 */
                            k: number;
                        };
                        tags: {
                            [key: string]: string;
                        };
                        sha256: string;
                        createdAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    SetPromptAlias: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
                alias: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        alias: string;
                        version: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StartPromptRollout: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    version: number;
                    canarySteps?: number[];
                    bakeMinutes?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        modelName: string;
                        version: number;
                        endpointName: string;
                        /** @enum {string} */
                        status: "RUNNING" | "PROMOTED" | "ROLLED_BACK" | "REFUSED" | "FAILED";
                        phase: string;
                        steps: number[];
                        weights?: {
                            champion: number;
                            challenger: number;
                        };
                        executionArn?: string;
                        previousVersion?: number;
                        candidateModel?: string;
                        previousModel?: string;
                        alarm?: string;
                        reason?: string;
                        requestedBy: string;
                        createdAt: string;
                        updatedAt: string;
                    } | {
                        approval: {
                            id: string;
                            modelName: string;
                            version: number;
                            action: {
                                /** @constant */
                                kind: "transition";
                                /** @constant */
                                stage: "Production";
                                archiveExistingVersions: boolean;
                            } | {
                                /** @constant */
                                kind: "rollout";
                                request: {
                                    version: number;
                                    canarySteps?: number[];
                                    bakeMinutes?: number;
                                };
                            } | {
                                /** @constant */
                                kind: "promotion";
                                runId: string;
                            };
                            /** @enum {string} */
                            status: "OPEN" | "APPROVED" | "REJECTED" | "EXPIRED" | "START_FAILED";
                            requestedBy: string;
                            author: string;
                            policy: {
                                approvers: string[];
                                /** @default 1 */
                                quorum: number;
                                /** @default false */
                                authorMayApprove: boolean;
                                /** @default 72 */
                                expiresAfterHours: number;
                            };
                            decisions: {
                                principal: string;
                                /** @enum {string} */
                                decision: "approve" | "reject";
                                comment: string;
                                at: string;
                            }[];
                            createdAt: string;
                            expiresAt: string;
                            closedAt?: string;
                            closedReason?: string;
                            startFailure?: {
                                code: string;
                                message: string;
                                at: string;
                            };
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListLlmEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            name: string;
                            /** @enum {string} */
                            backend: "sagemaker" | "bedrock";
                            configuredModel: string;
                            servedModel: string;
                            promotion?: {
                                deploymentId: string;
                                previousModel: string;
                                at: string;
                            };
                            candidates: string[];
                            rollout?: {
                                deploymentId: string;
                                candidate: string;
                                challengerPercent: number;
                            };
                            sageMakerEndpointName?: string;
                            instanceType?: string;
                            initialInstanceCount?: number;
                            guardrail?: {
                                id: string;
                                version: string;
                            };
                            dailyBudgetMicroUsd?: number;
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetLlmEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        /** @enum {string} */
                        backend: "sagemaker" | "bedrock";
                        configuredModel: string;
                        servedModel: string;
                        promotion?: {
                            deploymentId: string;
                            previousModel: string;
                            at: string;
                        };
                        candidates: string[];
                        rollout?: {
                            deploymentId: string;
                            candidate: string;
                            challengerPercent: number;
                        };
                        sageMakerEndpointName?: string;
                        instanceType?: string;
                        initialInstanceCount?: number;
                        guardrail?: {
                            id: string;
                            version: string;
                        };
                        dailyBudgetMicroUsd?: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StartModelRollout: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    candidate: string;
                    canarySteps?: number[];
                    bakeMinutes?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        modelName: string;
                        version: number;
                        endpointName: string;
                        /** @enum {string} */
                        status: "RUNNING" | "PROMOTED" | "ROLLED_BACK" | "REFUSED" | "FAILED";
                        phase: string;
                        steps: number[];
                        weights?: {
                            champion: number;
                            challenger: number;
                        };
                        executionArn?: string;
                        previousVersion?: number;
                        candidateModel?: string;
                        previousModel?: string;
                        alarm?: string;
                        reason?: string;
                        requestedBy: string;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetModelRollout: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                deploymentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deploymentId: string;
                        modelName: string;
                        version: number;
                        endpointName: string;
                        /** @enum {string} */
                        status: "RUNNING" | "PROMOTED" | "ROLLED_BACK" | "REFUSED" | "FAILED";
                        phase: string;
                        steps: number[];
                        weights?: {
                            champion: number;
                            challenger: number;
                        };
                        executionArn?: string;
                        previousVersion?: number;
                        candidateModel?: string;
                        previousModel?: string;
                        alarm?: string;
                        reason?: string;
                        requestedBy: string;
                        createdAt: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    RenderPrompt: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    prompt: string;
                    /** @default {} */
                    variables?: {
                        [key: string]: string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        prompt: {
                            name: string;
                            version: number;
                            alias?: string;
                        };
                        messages: {
                            /** @enum {string} */
                            role: "system" | "user" | "assistant";
                            content: string;
                        }[];
                        modelParameters: {
                            temperature?: number;
                            top_p?: number;
                            max_tokens?: number;
                            stop?: string[];
                        };
                        sources?: {
                            source: string;
                            chunk: number;
                            text: string;
                            start?: number;
                            end?: number;
                            score: number;
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateChatCompletion: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    model: string;
                    messages?: {
                        /** @enum {string} */
                        role: "system" | "user" | "assistant";
                        content: string;
                    }[];
                    prompt?: {
                        ref: string;
                        /** @default {} */
                        variables?: {
                            [key: string]: string;
                        };
                    };
                    temperature?: number;
                    top_p?: number;
                    max_tokens?: number;
                    stop?: string[];
                    /** @constant */
                    stream?: false;
                    user?: string;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** @constant */
                        object: "chat.completion";
                        created: number;
                        model: string;
                        choices: {
                            index: number;
                            message: {
                                /** @constant */
                                role: "assistant";
                                content: string;
                            };
                            /** @enum {string} */
                            finish_reason: "stop" | "length" | "content_filter";
                        }[];
                        usage: {
                            prompt_tokens: number;
                            completion_tokens: number;
                            total_tokens: number;
                            prompt_tokens_details: {
                                cached_tokens: number;
                            };
                            completion_tokens_details: {
                                reasoning_tokens: number;
                            };
                        };
                        mlops: {
                            endpoint: string;
                            prompt?: {
                                name: string;
                                version: number;
                                alias?: string;
                            };
                            costMicroUsd: number;
                            cacheHit: boolean;
                            redactions: string[];
                            sources?: {
                                source: string;
                                chunk: number;
                                text: string;
                                start?: number;
                                end?: number;
                                score: number;
                            }[];
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    RunEvaluation: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    prompt: string;
                    endpoint: string;
                    scorers: ({
                        /** @constant */
                        type: "exact_match";
                    } | {
                        /** @constant */
                        type: "contains";
                    } | {
                        /** @constant */
                        type: "regex";
                        pattern: string;
                        /** @default false */
                        ignoreCase?: boolean;
                    } | {
                        /** @constant */
                        type: "json_schema";
                        schema: {
                            [key: string]: unknown;
                        };
                    } | {
                        /** @constant */
                        type: "numeric";
                        /** @default 0 */
                        tolerance?: number;
                    } | {
                        /** @constant */
                        type: "groundedness";
                        /** @default 0.8 */
                        minSupport?: number;
                    } | {
                        /** @constant */
                        type: "llm_judge";
                        name?: string;
                        prompt: string;
                        endpoint?: string;
                        /**
                         * @default {
                         *       "min": 0,
                         *       "max": 1
                         *     }
                         */
                        scale?: {
                            min: number;
                            max: number;
                        };
                    })[];
                    rows?: {
                        /** @default {} */
                        variables?: {
                            [key: string]: string;
                        };
                        /** @default  */
                        expected?: string;
                        sources?: string[];
                    }[];
                    dataset?: {
                        key: string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        prompt: {
                            name: string;
                            version: number;
                        };
                        endpoint: string;
                        dataset?: {
                            key: string;
                            sha256: string;
                        };
                        rows: {
                            index: number;
                            answer: string;
                            expected: string;
                            scores: {
                                [key: string]: number;
                            };
                            failures?: {
                                [key: string]: string;
                            };
                            costMicroUsd: number;
                        }[];
                        aggregate: {
                            [key: string]: number;
                        };
                        failures?: {
                            [key: string]: number;
                        };
                        costMicroUsd: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    StartEvaluationRun: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    prompt: string;
                    endpoint: string;
                    scorers: ({
                        /** @constant */
                        type: "exact_match";
                    } | {
                        /** @constant */
                        type: "contains";
                    } | {
                        /** @constant */
                        type: "regex";
                        pattern: string;
                        /** @default false */
                        ignoreCase?: boolean;
                    } | {
                        /** @constant */
                        type: "json_schema";
                        schema: {
                            [key: string]: unknown;
                        };
                    } | {
                        /** @constant */
                        type: "numeric";
                        /** @default 0 */
                        tolerance?: number;
                    } | {
                        /** @constant */
                        type: "groundedness";
                        /** @default 0.8 */
                        minSupport?: number;
                    } | {
                        /** @constant */
                        type: "llm_judge";
                        name?: string;
                        prompt: string;
                        endpoint?: string;
                        /**
                         * @default {
                         *       "min": 0,
                         *       "max": 1
                         *     }
                         */
                        scale?: {
                            min: number;
                            max: number;
                        };
                    })[];
                    dataset: {
                        key: string;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        /** @enum {string} */
                        status: "RUNNING" | "SUCCEEDED" | "FAILED";
                        prompt: {
                            name: string;
                            version: number;
                        };
                        endpoint: string;
                        dataset: {
                            key: string;
                            sha256: string;
                        };
                        scorers: ({
                            /** @constant */
                            type: "exact_match";
                        } | {
                            /** @constant */
                            type: "contains";
                        } | {
                            /** @constant */
                            type: "regex";
                            pattern: string;
                            /** @default false */
                            ignoreCase: boolean;
                        } | {
                            /** @constant */
                            type: "json_schema";
                            schema: {
                                [key: string]: unknown;
                            };
                        } | {
                            /** @constant */
                            type: "numeric";
                            /** @default 0 */
                            tolerance: number;
                        } | {
                            /** @constant */
                            type: "groundedness";
                            /** @default 0.8 */
                            minSupport: number;
                        } | {
                            /** @constant */
                            type: "llm_judge";
                            name?: string;
                            prompt: string;
                            endpoint?: string;
                            /**
                             * @default {
                             *       "min": 0,
                             *       "max": 1
                             *     }
                             */
                            scale: {
                                min: number;
                                max: number;
                            };
                        })[];
                        totalRows: number;
                        scoredRows: number;
                        aggregate?: {
                            [key: string]: number;
                        };
                        failures?: {
                            [key: string]: number;
                        };
                        costMicroUsd?: number;
                        error?: string;
                        createdAt: string;
                        createdBy: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetEvaluationRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: string;
                        /** @enum {string} */
                        status: "RUNNING" | "SUCCEEDED" | "FAILED";
                        prompt: {
                            name: string;
                            version: number;
                        };
                        endpoint: string;
                        dataset: {
                            key: string;
                            sha256: string;
                        };
                        scorers: ({
                            /** @constant */
                            type: "exact_match";
                        } | {
                            /** @constant */
                            type: "contains";
                        } | {
                            /** @constant */
                            type: "regex";
                            pattern: string;
                            /** @default false */
                            ignoreCase: boolean;
                        } | {
                            /** @constant */
                            type: "json_schema";
                            schema: {
                                [key: string]: unknown;
                            };
                        } | {
                            /** @constant */
                            type: "numeric";
                            /** @default 0 */
                            tolerance: number;
                        } | {
                            /** @constant */
                            type: "groundedness";
                            /** @default 0.8 */
                            minSupport: number;
                        } | {
                            /** @constant */
                            type: "llm_judge";
                            name?: string;
                            prompt: string;
                            endpoint?: string;
                            /**
                             * @default {
                             *       "min": 0,
                             *       "max": 1
                             *     }
                             */
                            scale: {
                                min: number;
                                max: number;
                            };
                        })[];
                        totalRows: number;
                        scoredRows: number;
                        aggregate?: {
                            [key: string]: number;
                        };
                        failures?: {
                            [key: string]: number;
                        };
                        costMicroUsd?: number;
                        error?: string;
                        createdAt: string;
                        createdBy: string;
                        updatedAt: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ListEvaluationRows: {
        parameters: {
            query?: {
                limit?: number;
                nextToken?: string;
            };
            header?: never;
            path: {
                runId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            index: number;
                            answer: string;
                            expected: string;
                            scores: {
                                [key: string]: number;
                            };
                            failures?: {
                                [key: string]: string;
                            };
                            costMicroUsd: number;
                        }[];
                        nextToken?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    CreateCollection: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    /** @default  */
                    description?: string;
                    /**
                     * @default {
                     *       "maxWords": 200,
                     *       "overlapWords": 40
                     *     }
                     */
                    chunking?: {
                        /** @default 200 */
                        maxWords?: number;
                        /** @default 40 */
                        overlapWords?: number;
                    };
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        name: string;
                        description: string;
                        chunking: {
                            maxWords: number;
                            overlapWords: number;
                        };
                        embedding: string;
                        createdAt: string;
                        createdBy: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    IngestDocument: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    id: string;
                    text: string;
                };
            };
        };
        responses: {
            /** @description Success */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collection: string;
                        id: string;
                        chunks: number;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    ImportDocuments: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    prefix: string;
                    startAfter?: string;
                    /** @default 50 */
                    maxObjects?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collection: string;
                        prefix: string;
                        documents: {
                            source: string;
                            key: string;
                            version: string;
                            /** @enum {string} */
                            status: "INGESTED" | "REPLACED" | "UNCHANGED" | "REFUSED";
                            chunks?: number;
                            reason?: string;
                        }[];
                        nextStartAfter?: string;
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    Retrieve: {
        parameters: {
            query?: never;
            header?: {
                "Idempotency-Key"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    query: string;
                    /** @default 4 */
                    k?: number;
                };
            };
        };
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        collection: string;
                        chunks: {
                            source: string;
                            chunk: number;
                            text: string;
                            start?: number;
                            end?: number;
                            score: number;
                        }[];
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    GetLlmUsage: {
        parameters: {
            query: {
                from: string;
                to: string;
                groupBy?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        from: string;
                        to: string;
                        groupBy: string[];
                        groups: {
                            key: {
                                [key: string]: string;
                            };
                            calls: number;
                            cacheHits: number;
                            inputTokens: number;
                            outputTokens: number;
                            cacheReadInputTokens: number;
                            cacheCreationInputTokens: number;
                            reasoningOutputTokens: number;
                            costMicroUsd: number;
                        }[];
                        total: {
                            key: {
                                [key: string]: string;
                            };
                            calls: number;
                            cacheHits: number;
                            inputTokens: number;
                            outputTokens: number;
                            cacheReadInputTokens: number;
                            cacheCreationInputTokens: number;
                            reasoningOutputTokens: number;
                            costMicroUsd: number;
                        };
                    };
                };
            };
            /** @description Missing or bad SigV4 signature (API Gateway) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Refused */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
}

/** Operations that take an Idempotency-Key (and so may be retried). */
export const IDEMPOTENT_OPERATIONS: ReadonlySet<string> = new Set([
  "DELETE /api/2.0/mlflow-artifacts/artifacts/{artifact_path}",
  "DELETE /api/2.0/mlflow/logged-models/{model_id}",
  "DELETE /api/2.0/mlflow/logged-models/{model_id}/tags/{tag_key}",
  "DELETE /api/2.0/mlflow/model-versions/delete",
  "DELETE /api/2.0/mlflow/model-versions/delete-tag",
  "DELETE /api/2.0/mlflow/registered-models/alias",
  "DELETE /api/2.0/mlflow/registered-models/delete",
  "DELETE /api/2.0/mlflow/registered-models/delete-tag",
  "DELETE /feature-views/{name}",
  "DELETE /models/{name}",
  "DELETE /models/{name}/aliases/{alias}",
  "PATCH /api/2.0/mlflow/logged-models/{model_id}",
  "PATCH /api/2.0/mlflow/logged-models/{model_id}/tags",
  "PATCH /api/2.0/mlflow/model-versions/update",
  "PATCH /api/2.0/mlflow/registered-models/update",
  "PATCH /models/{name}",
  "PATCH /models/{name}/versions/{version}",
  "POST /api/2.0/mlflow-artifacts/mpu/abort/{artifact_path}",
  "POST /api/2.0/mlflow-artifacts/mpu/complete/{artifact_path}",
  "POST /api/2.0/mlflow-artifacts/mpu/create/{artifact_path}",
  "POST /api/2.0/mlflow/artifacts/presigned-download-url",
  "POST /api/2.0/mlflow/artifacts/presigned-upload-url",
  "POST /api/2.0/mlflow/experiments/create",
  "POST /api/2.0/mlflow/experiments/delete",
  "POST /api/2.0/mlflow/experiments/delete-experiment-tag",
  "POST /api/2.0/mlflow/experiments/restore",
  "POST /api/2.0/mlflow/experiments/search",
  "POST /api/2.0/mlflow/experiments/set-experiment-tag",
  "POST /api/2.0/mlflow/experiments/update",
  "POST /api/2.0/mlflow/logged-models",
  "POST /api/2.0/mlflow/logged-models/search",
  "POST /api/2.0/mlflow/logged-models/{model_id}/params",
  "POST /api/2.0/mlflow/model-versions/create",
  "POST /api/2.0/mlflow/model-versions/set-tag",
  "POST /api/2.0/mlflow/model-versions/transition-stage",
  "POST /api/2.0/mlflow/registered-models/alias",
  "POST /api/2.0/mlflow/registered-models/create",
  "POST /api/2.0/mlflow/registered-models/get-latest-versions",
  "POST /api/2.0/mlflow/registered-models/rename",
  "POST /api/2.0/mlflow/registered-models/set-tag",
  "POST /api/2.0/mlflow/runs/create",
  "POST /api/2.0/mlflow/runs/delete",
  "POST /api/2.0/mlflow/runs/delete-tag",
  "POST /api/2.0/mlflow/runs/log-batch",
  "POST /api/2.0/mlflow/runs/log-metric",
  "POST /api/2.0/mlflow/runs/log-model",
  "POST /api/2.0/mlflow/runs/log-parameter",
  "POST /api/2.0/mlflow/runs/outputs",
  "POST /api/2.0/mlflow/runs/restore",
  "POST /api/2.0/mlflow/runs/search",
  "POST /api/2.0/mlflow/runs/set-tag",
  "POST /api/2.0/mlflow/runs/update",
  "POST /batch-predictions",
  "POST /batch-predictions/uploads",
  "POST /batch-predictions/{jobId}/cancel",
  "POST /batch-predictions/{jobId}/resume",
  "POST /experiments",
  "POST /experiments/{name}/conclude",
  "POST /experiments/{name}/outcomes",
  "POST /experiments/{name}/start",
  "POST /experiments/{name}/stop",
  "POST /feature-views",
  "POST /feature-views/{name}/materialize",
  "POST /get-online-features",
  "POST /llm/chat/completions",
  "POST /llm/collections",
  "POST /llm/collections/{name}/documents",
  "POST /llm/collections/{name}/imports",
  "POST /llm/collections/{name}/retrieve",
  "POST /llm/endpoints/{name}/rollouts",
  "POST /llm/evaluation-runs",
  "POST /llm/evaluations",
  "POST /llm/prompts",
  "POST /llm/prompts/render",
  "POST /llm/prompts/{name}/rollouts",
  "POST /llm/prompts/{name}/versions",
  "POST /models",
  "POST /models/{name}/approvals/{id}/decisions",
  "POST /models/{name}/deployments",
  "POST /models/{name}/retraining-runs",
  "POST /models/{name}/retraining-runs/{runId}/stop",
  "POST /models/{name}/versions",
  "POST /models/{name}/versions/{version}/stage",
  "POST /models/{name}/versions/{version}/verify",
  "POST /monitoring/drift-reports",
  "POST /monitoring/models/{name}/checks",
  "POST /monitoring/models/{name}/ground-truth",
  "POST /monitoring/models/{name}/quality-reports",
  "POST /monitoring/models/{name}/versions/{version}/reference-profile",
  "POST /privacy/erasures",
  "POST /push",
  "POST /training-sets",
  "PUT /api/2.0/mlflow-artifacts/artifacts/{artifact_path}",
  "PUT /feature-views/{name}",
  "PUT /llm/prompts/{name}/aliases/{alias}",
  "PUT /models/{name}/aliases/{alias}",
]);
