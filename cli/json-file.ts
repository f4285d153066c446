/** JSON files named on the command line (definitions, datasets): a bad one is a usage error. */
import { readFileSync } from 'node:fs';
import type { paths } from '../client';
import { EXIT } from './exit-codes';
import { CliFailure } from './failure';

/** @throws CliFailure (usage) naming the file and what is wrong with its JSON */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliFailure(`${file}: not JSON: ${(err as Error).message}`, EXIT.USAGE);
  }
}

/** A JSON file's content, for the platform to validate as the route's body. */
export function readJsonFile<T = unknown>(file: string): T {
  return parseJson(readFileSync(file, 'utf8'), file) as T;
}

/** The JSON body a route takes, as the OpenAPI document types it. */
export type RequestBody<P extends keyof paths, M extends 'post' | 'put'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;
