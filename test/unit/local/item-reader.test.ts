import { LOCAL_ITEM_READER, withLocalItemReaders } from '../../../local/state-machines/item-reader';

type Definition = { StartAt: string; States: Record<string, { Type: string } & Record<string, unknown>> };

const distributedMap = (reader: Record<string, unknown>): Definition => ({
  StartAt: 'Fan',
  States: {
    Fan: {
      Type: 'Map',
      ItemReader: reader,
      ItemSelector: { 'key.$': '$$.Map.Item.Value.key' },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Work',
        States: { Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } },
      },
      ToleratedFailurePercentage: 5,
      ResultPath: null,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
      Next: 'Merge',
    },
    Merge: { Type: 'Pass', End: true },
    Failed: { Type: 'Fail' },
  },
});
const S3_JSON = {
  Resource: 'arn:aws:states:::s3:getObject',
  ReaderConfig: { InputType: 'JSON' },
  Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.manifestKey' },
};

describe('withLocalItemReaders', () => {
  it("puts a reader task under the Map's name and runs the Map inline on what it read", () => {
    // Act
    const out = withLocalItemReaders(distributedMap(S3_JSON));
    // Assess
    expect(out.StartAt).toBe('Fan');
    expect(out.States.Fan).toEqual({
      Type: 'Task',
      Resource: LOCAL_ITEM_READER,
      Parameters: S3_JSON.Parameters,
      ResultPath: '$.__localMapItems',
      Next: 'Fan (items)',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }],
    });
    expect(out.States['Fan (items)']).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.__localMapItems',
      ItemSelector: { 'key.$': '$$.Map.Item.Value.key' },
      ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' } },
      ResultPath: null,
      Next: 'Merge',
    });
    expect(out.States['Fan (items)']).not.toHaveProperty('ItemReader');
    expect(out.States.Merge).toEqual({ Type: 'Pass', End: true });
  });

  it('refuses readers it cannot run rather than running something else', () => {
    // CSV readers and listings run as a local Task (see distributed-map.ts); other readers do not run.
    const csv = withLocalItemReaders(distributedMap({ ...S3_JSON, ReaderConfig: { InputType: 'CSV' } }));
    expect(Object.values(csv.States).map((s) => s.Resource)).toContain('local:distributed-map');
    const listing = withLocalItemReaders(
      distributedMap({
        Resource: 'arn:aws:states:::s3:listObjectsV2',
        Parameters: { Bucket: 'b', Prefix: 'p/' },
      }),
    );
    expect(Object.values(listing.States).map((s) => s.Resource)).toContain('local:distributed-map');
    expect(() =>
      withLocalItemReaders(distributedMap({ ...S3_JSON, Resource: 'arn:aws:states:::dynamodb:scan' })),
    ).toThrow(/only S3 JSON item readers/);
  });
});
