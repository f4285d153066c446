/** Template metadata key naming a function's handler module, relative to the repository root. */
export const ENTRY_METADATA_KEY = 'cdk-mlops:entry';
