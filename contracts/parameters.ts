/**
 * Per-model settings in SSM Parameter Store: one String parameter per model under a path of the
 * environment, holding the model's settings as JSON. The stack writes them; the functions get the
 * path (a fixed size) in their environment and read a model's parameter by name at run time, so
 * the number of models no longer counts against Lambda's 4 KB of environment per function.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-hierarchies.html
 */

/** The parameter holding one model's settings under `path` (no trailing slash). */
export const modelParameterName = (path: string, modelName: string): string => `${path}/${modelName}`;

/**
 * Value limits of a parameter: a Standard parameter holds 4 KB (4096 bytes), an Advanced one 8 KB (and costs
 * per parameter and month).
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
 */
export const PARAMETER_VALUE_MAX_BYTES = { standard: 4096, advanced: 8192 } as const;
