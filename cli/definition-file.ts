/**
 * Definition files named on the command line (`features apply`): JSON, or YAML when the name ends
 * `.yaml`/`.yml`, as Kubernetes and Feast users keep theirs. YAML is read as YAML 1.2 (the core
 * schema: `yes` and `no` stay strings, as in JSON) and a key given twice is an error, not a
 * silent overwrite.
 * @see https://eemeli.org/yaml/#parse-options
 */
import { parse as parseYaml } from 'yaml';
import { EXIT } from './exit-codes';
import { CliFailure } from './failure';
import { parseJson } from './json-file';

/** Whether the file is read as YAML: by its name, as `kubectl apply -f` decides. */
export const isYamlFile = (file: string): boolean => /\.ya?ml$/i.test(file);

/** @throws CliFailure (usage) naming the file and what is wrong with its JSON or YAML */
export function parseDefinitionText(text: string, file: string): unknown {
  if (!isYamlFile(file)) return parseJson(text, file);
  try {
    return parseYaml(text, { version: '1.2', uniqueKeys: true });
  } catch (err) {
    throw new CliFailure(`${file}: not YAML: ${(err as Error).message}`, EXIT.USAGE);
  }
}
