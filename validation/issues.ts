import type { z } from 'zod';

/** One problem found in some input, with the path of the offending key. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** Thrown when input does not fit its schema; `issues` name every bad key. */
export class ValidationError extends Error {
  constructor(
    readonly subject: string,
    readonly issues: ValidationIssue[],
  ) {
    super(
      `${subject} is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    );
    this.name = 'ValidationError';
  }
}

/** Renders a zod path the way a person would write it: steps[2].next_step. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

export function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => {
    let message = issue.message;
    if (issue.code === 'unrecognized_keys') {
      message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    return { path: formatPath(issue.path), message };
  });
}

/** Parses `input` with `schema`, throwing a ValidationError that names `subject`. */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  subject: string,
): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(subject, issuesOf(result.error));
  return result.data;
}
