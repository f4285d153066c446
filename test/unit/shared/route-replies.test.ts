import { expectReplyMatchesRoute } from '../../helpers/route-replies';

describe('expectReplyMatchesRoute', () => {
  const alias = { modelName: 'churn', alias: 'champion', version: 2, updatedAt: '2026-01-01T00:00:00Z' };

  it("passes a reply with the route's status and exactly the declared fields", () => {
    expect(() => expectReplyMatchesRoute('SetAlias', { status: 200, body: alias })).not.toThrow();
    expect(() =>
      expectReplyMatchesRoute('SetAlias', { statusCode: 200, body: JSON.stringify(alias) }),
    ).not.toThrow();
    expect(() => expectReplyMatchesRoute('DeleteAlias', { status: 204, body: undefined })).not.toThrow();
  });

  it.each([
    ['another status', { status: 201, body: alias }],
    ['a missing field', { status: 200, body: { ...alias, version: undefined } }],
    ['a mistyped field', { status: 200, body: { ...alias, version: '2' } }],
    ['a field the document leaves out', { status: 200, body: { ...alias, pk: 'MODEL#churn' } }],
  ])('fails a reply with %s', (_, reply) => {
    expect(() => expectReplyMatchesRoute('SetAlias', reply)).toThrow();
  });
});
