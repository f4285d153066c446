import { parseContextArgs } from '../../../local/context-args';

describe('parseContextArgs', () => {
  it('reads -c and --context pairs, keeping values as strings as the CDK CLI does', () => {
    expect(
      parseContextArgs(['-c', 'mlops:envName=demo', '--context', 'mlops:endpoints=[{"modelName":"m"}]']),
    ).toEqual({
      'mlops:envName': 'demo',
      'mlops:endpoints': '[{"modelName":"m"}]',
    });
  });

  it.each([
    [['--port', '3000'], /unknown argument --port/],
    [['-c'], /needs key=value, got nothing/],
    [['-c', '=x'], /needs key=value/],
  ])('fails %j with a clear message', (argv, message) => {
    expect(() => parseContextArgs(argv)).toThrow(message);
  });
});
