import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type Brief, briefSchema, describeBriefProblem } from '../domain/brief';
import { BAD_INPUT, CliError } from './errors';

/** Reads and validates a brief from a YAML or JSON file; any problem is a {@link CliError} naming the field. */
export function readBriefFile(path: string): Brief {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: cannot read the brief (${code ?? 'error'})`, BAD_INPUT);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    const first = (err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)).replace(/:$/, '');
    throw new CliError(`${path}: not valid YAML or JSON: ${first}`, BAD_INPUT);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CliError(
      `${path}: brief: must be a mapping of fields, not ${Array.isArray(raw) ? 'a list' : typeof raw}`,
      BAD_INPUT,
    );
  }
  const parsed = briefSchema.safeParse(raw);
  if (!parsed.success) throw new CliError(`${path}: ${describeBriefProblem(parsed.error)}`, BAD_INPUT);
  return parsed.data;
}
