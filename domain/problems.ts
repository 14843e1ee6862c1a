import type { ZodError } from 'zod';

/**
 * How a problem names the field it is about. `under-root` reads as the value a person wrote (`brief.channels[0]`, and
 * `brief` for the whole of it); `dotted` is the bare path (`people.0.id`, and `root` only for the whole value), as the
 * messages about data files, model answers and activity input have always read.
 */
export type FieldNaming = 'under-root' | 'dotted';

/** The first problem of a failed parse as one line, `field: message`, the field named from `root` as `naming` says. */
export function describeProblem(error: ZodError, root: string, naming: FieldNaming = 'under-root'): string {
  // An unknown field is usually a misspelt one, which also makes the real field look missing: name it first.
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (!issue) return `${root}: invalid`;
  const field = fieldName(root, issue.path, naming);
  if (issue.code === 'unrecognized_keys')
    return `${field}: unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `${field}: is required`;
  return `${field}: ${issue.message}`;
}

function fieldName(root: string, path: readonly PropertyKey[], naming: FieldNaming): string {
  if (naming === 'dotted') return path.map(String).join('.') || root;
  return `${root}${path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')}`;
}
