/**
 * The names prompts are stored under in the model registry. Schema-free, so the registry's handlers
 * that recognise a prompt (its tags, its gated alias) load these and none of the LLM schemas.
 * @see https://mlflow.org/docs/latest/genai/prompt-registry/
 */

/**
 * Tags the platform sets on a prompt's registered model: `mlops:kind` tells prompts from models,
 * `mlflow.prompt.is_prompt` is how MLflow 3 marks one, so MLflow clients see prompts as theirs.
 */
export const PROMPT_TAGS = { kind: 'mlops:kind', mlflowIsPrompt: 'mlflow.prompt.is_prompt' } as const;
export const PROMPT_KIND = 'prompt';
/** MLflow 3 keeps a version's template text in this tag (when it fits a tag value). */
export const MLFLOW_PROMPT_TEXT_TAG = 'mlflow.prompt.text';
/** The file of a prompt version's content-addressed artifact. */
export const PROMPT_FILE_NAME = 'prompt.json';

/** The alias evaluation gates: moving it requires the configured score floors. */
export const PRODUCTION_ALIAS = 'production';
