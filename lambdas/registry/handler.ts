// Entry point placeholder: replaced by the registry handler.
export const handler = async () => ({ statusCode: 501, body: '{"error":{"code":"NOT_IMPLEMENTED","message":"soon"}}' });
