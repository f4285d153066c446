/**
 * The rollout routes' replies as schemas, for the routes' `response` and so the API document.
 * `DeploymentResponse` is checked at compile time against `Deployment`, the record the domain
 * stores and returns; the execution summary is declared here and the domain uses its type.
 */
import * as z from 'zod';
import { type Deployment, DeploymentStatus, type EndpointSummary, ServingBackend } from './deployment';
import { lazySchema } from './lazy-schema';
import { type Same, sameShape } from './same-shape';

/** A rollout record: what `POST .../deployments` answers (202) once its execution started. */
export const DeploymentResponse = lazySchema(() =>
  z.object({
    deploymentId: z.string(),
    modelName: z.string(),
    version: z.number().int(),
    endpointName: z.string(),
    status: DeploymentStatus,
    /** The step the rollout is at, e.g. `SHIFTING`, `BAKING`, `DONE`. */
    phase: z.string(),
    /** The challenger's traffic share in percent at each canary step. */
    steps: z.array(z.number()),
    weights: z.object({ champion: z.number(), challenger: z.number() }).optional(),
    executionArn: z.string().optional(),
    previousVersion: z.number().int().optional(),
    /** A model rollout of an LLM endpoint (version 0): the model id rolled out. */
    candidateModel: z.string().optional(),
    /** A model rollout of an LLM endpoint: the model id served when it started. */
    previousModel: z.string().optional(),
    /** The alarm that rolled the canary back. */
    alarm: z.string().optional(),
    reason: z.string().optional(),
    requestedBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);

/**
 * The rollout's state machine execution as Step Functions describes it.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html
 */
export const ExecutionSummary = lazySchema(() =>
  z.object({
    /** `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`... */
    status: z.string(),
    startDate: z.string().optional(),
    stopDate: z.string().optional(),
    error: z.string().optional(),
    cause: z.string().optional(),
  }),
);
export type ExecutionSummary = z.infer<typeof ExecutionSummary>;

/** `GET .../deployments/{deploymentId}`: the record with its execution, when it has one. */
export const DeploymentStatusResponse = lazySchema(() =>
  DeploymentResponse.extend({ execution: ExecutionSummary.optional() }),
);
/** What `getDeployment` returns, and the status route sends. */
export type DeploymentWithExecution = Deployment & { readonly execution?: ExecutionSummary };

/** One configured endpoint as it serves now: `GET /endpoints`. */
export const EndpointSummaryResponse = lazySchema(() =>
  z.object({
    modelName: z.string(),
    endpointName: z.string(),
    backend: ServingBackend,
    status: z.string(),
    variants: z.array(
      z.object({
        name: z.string(),
        version: z.number().int().optional(),
        weight: z.number(),
        instanceCount: z.number().int(),
      }),
    ),
    rollout: z
      .object({
        deploymentId: z.string(),
        version: z.number().int(),
        phase: z.string(),
        weights: z.object({ champion: z.number(), challenger: z.number() }).optional(),
      })
      .optional(),
  }),
);

// Compile-time checks: each schema's output and the domain's type are the same shape.
sameShape<Same<z.output<typeof DeploymentResponse>, Deployment>>(true);
sameShape<Same<z.output<typeof DeploymentStatusResponse>, DeploymentWithExecution>>(true);
sameShape<Same<z.output<typeof EndpointSummaryResponse>, EndpointSummary>>(true);
