// Entry point placeholder: replaced by the outbox publisher.
export const handler = async () => ({ batchItemFailures: [] });
