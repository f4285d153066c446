import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLocalPlatform, PLATFORM_FILE } from '../../../local/connection';

describe('findLocalPlatform', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'connection-'));
    // A running platform: this process stands for it.
    writeFileSync(
      join(dir, PLATFORM_FILE),
      JSON.stringify({ url: 'http://127.0.0.1:1', sagemaker: '', s3: '', eventBridge: '', pid: process.pid }),
    );
    delete process.env.MLOPS_ACCESS_KEY_ID;
    delete process.env.MLOPS_SECRET_ACCESS_KEY;
  });
  afterEach(() => {
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it('says which keys to set when the platform was started with keys of its caller', () => {
    // Act & Assess: no credentials.json, none in the environment
    expect(() => findLocalPlatform(dir)).toThrow(
      /signs with the keys it was started with: set MLOPS_ACCESS_KEY_ID and MLOPS_SECRET_ACCESS_KEY here too/,
    );
  });

  it('signs with the keys of the environment when they are set', () => {
    // Prepare
    process.env.MLOPS_ACCESS_KEY_ID = 'AKIALOCALCHOSEN00001';
    process.env.MLOPS_SECRET_ACCESS_KEY = 'chosen-secret';
    // Act & Assess
    expect(findLocalPlatform(dir).credentials).toEqual({
      accessKeyId: 'AKIALOCALCHOSEN00001',
      secretAccessKey: 'chosen-secret',
    });
  });
});
