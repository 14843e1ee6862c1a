import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { type Brief, briefSchema, consentProblem, describeBriefProblem } from '../domain/brief';
import { ClientError } from './errors';

/** Reads and validates a brief from a YAML or JSON file; any problem is a `bad-brief` {@link ClientError} naming the file and field. */
export function readBriefFile(path: string): Brief {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ClientError('bad-brief', `${path}: cannot read the brief (${code ?? 'error'})`, { cause: err });
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    const first = (err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)).replace(/:$/, '');
    throw new ClientError('bad-brief', `${path}: not valid YAML or JSON: ${first}`, { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ClientError(
      'bad-brief',
      `${path}: brief: must be a mapping of fields, not ${Array.isArray(raw) ? 'a list' : typeof raw}`,
    );
  }
  const parsed = briefSchema.safeParse(raw);
  if (!parsed.success) throw new ClientError('bad-brief', `${path}: ${describeBriefProblem(parsed.error)}`);
  const consent = consentProblem(parsed.data);
  if (consent) throw new ClientError('bad-brief', `${path}: ${consent}`);
  return parsed.data;
}
