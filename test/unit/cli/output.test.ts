import { output } from '../../../cli/output';

/** What `output` writes, as text, to its stdout and stderr. */
function captured() {
  const written = { out: '', err: '' };
  const sink = (key: 'out' | 'err') => ({
    write(text: string) {
      written[key] += text;
    },
  });
  return { written, out: sink('out'), err: sink('err') };
}

describe('output --field', () => {
  it.each([
    ['jobId', { jobId: 'j-1', counts: { read: 3 } }, 'j-1\n'],
    ['approval.id', { approval: { id: 'apr-0123456789' } }, 'apr-0123456789\n'],
    ['counts', { counts: { read: 3 } }, '{"read":3}\n'],
    ['id', [{ id: 'a' }, { id: 'b' }], 'a\nb\n'],
    ['missing', { jobId: 'j-1' }, '\n'],
  ])('prints only %s of the result as plain text', (field, value, expected) => {
    // Prepare
    const { written, out, err } = captured();

    // Act
    output('json', { field }, out, err).result(value, ['jobId']);

    // Assess
    expect(written).toEqual({ out: expected, err: '' });
  });

  it('prints the whole result without a field', () => {
    // Prepare
    const { written, out, err } = captured();

    // Act
    output('table', {}, out, err).result([{ id: 'a', status: 'OPEN' }], ['id', 'status']);

    // Assess
    expect(written.out).toBe('ID  STATUS\na   OPEN\n');
  });
});
