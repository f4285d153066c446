/**
 * Local mode keeps each synthesized template under a hash of its context and sources
 * (`local/cdk-template.ts`): a platform started again on the same code reads it instead of
 * synthesizing, and any other context or code gets its own.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keptTemplatePath, synthesizePlatformTemplate } from '../../../local/cdk-template';

const context = {
  ...JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'cdk.json'), 'utf8')).context,
  // A context of this run only: the template kept for it is this test's own.
  'template-cache-test:run': `${process.pid}-${Date.now()}`,
};
const kept = keptTemplatePath(context);
afterAll(() => rmSync(kept, { force: true }));

describe('kept synthesized templates', () => {
  it('synthesizes once, then reads what it kept for the same context and code', () => {
    expect(existsSync(kept)).toBe(false);
    const synthesized = synthesizePlatformTemplate(context);
    expect(Object.keys(synthesized.Resources).length).toBeGreaterThan(100);
    expect(JSON.parse(readFileSync(kept, 'utf8'))).toEqual(synthesized);
    // What is kept is what a start reads: a marked copy comes back.
    writeFileSync(kept, JSON.stringify({ ...synthesized, Outputs: { Marker: { Value: 'kept' } } }));
    expect(synthesizePlatformTemplate(context).Outputs).toEqual({ Marker: { Value: 'kept' } });
  });

  it('keeps another context apart', () => {
    expect(keptTemplatePath({ ...context, 'mlops:envName': 'other' })).not.toBe(kept);
    expect(keptTemplatePath({ ...context })).toBe(kept);
  });
});
