/**
 * The local Step Functions reports each ended execution as Step Functions' "Execution Status
 * Change" event would, so rules on it (the retraining safe stop) run locally too.
 */
import type { CfnTemplate } from '../../local/cdk-template';
import { type EndedExecution, LocalStepFunctions } from '../../local/state-machines/server';

const machine = (definition: unknown) => ({
  Type: 'AWS::StepFunctions::StateMachine',
  Properties: { DefinitionString: JSON.stringify(definition) },
});

const template: CfnTemplate = {
  Resources: {
    Fails: machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Boom', Cause: 'bad input' } } }),
    Succeeds: machine({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { ok: true }, End: true } } }),
    Waits: machine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }),
  },
};

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('LocalStepFunctions status change events', () => {
  it('reports SUCCEEDED, FAILED and ABORTED executions with their ARNs, times and errors', async () => {
    // Prepare
    const ended: EndedExecution[] = [];
    const sfn = new LocalStepFunctions(template, async () => undefined, {
      onExecutionEnded: (e) => ended.push(e),
    });
    const arns = sfn.stateMachineArns;
    // Act
    sfn.startExecution({ stateMachineArn: arns.Succeeds, name: 'ok' });
    sfn.startExecution({ stateMachineArn: arns.Fails, name: 'boom' });
    const waiting = sfn.startExecution({ stateMachineArn: arns.Waits, name: 'stopped' });
    await until(() => ended.length >= 2);
    sfn.stopExecution({ executionArn: waiting.executionArn, error: 'Manual', cause: 'operator' });
    await until(() => ended.length >= 3);
    // Assess
    const byName = Object.fromEntries(ended.map((e) => [e.name, e]));
    expect(byName.ok).toMatchObject({
      status: 'SUCCEEDED',
      stateMachineArn: arns.Succeeds,
      output: '{"ok":true}',
    });
    expect(byName.boom).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'bad input' });
    expect(byName.stopped).toMatchObject({
      status: 'ABORTED',
      error: 'Manual',
      executionArn: waiting.executionArn,
    });
    for (const e of ended) expect(e.stopDate).toBeGreaterThanOrEqual(e.startDate);
  });
});
