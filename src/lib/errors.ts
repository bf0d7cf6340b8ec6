// Errors domain functions throw for the routes (and the error page) to turn into an answer.
import type { MessageKey } from '../i18n/index.ts';

/** Not there — or not for this person to know about: 404 either way, so ids cannot be probed. */
export class NotFoundError extends Error {
  readonly statusCode = 404;
  constructor() {
    super('Not found');
  }
}

/** The person is known to be allowed to see the thing, but not to do this to it. */
export class ForbiddenError extends Error {
  readonly statusCode = 403;
  constructor(readonly key: MessageKey = 'error.403.text') {
    super(key);
  }
}

/** A business rule refuses the action ("the last admin cannot be removed"): said in French. */
export class RuleError extends Error {
  readonly statusCode = 422;
  constructor(
    readonly key: MessageKey,
    readonly params?: Record<string, string | number>,
  ) {
    super(key);
  }
}

/** A rule broken by one field of a form: the form shows the message next to that field. */
export class FieldRuleError<Field extends string = string> extends RuleError {
  constructor(
    readonly field: Field,
    key: MessageKey,
    params?: Record<string, string | number>,
  ) {
    super(key, params);
  }
}
