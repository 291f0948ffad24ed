/**
 * What every feature's settings module does the same way (engine/model/neumfSettings.ts,
 * engine/baselines/ialsSettings.ts, engine/baselines/easeSettings.ts): a person's overrides laid
 * over the defaults, checked by the feature's own `find…Problems`, and one typed error carrying
 * the messages the UI shows.
 */

/** Settings a person entered that cannot be used; `problems` are the UI's messages. */
export class InvalidSettingsError extends Error {
  constructor(
    /** Whose settings, as the message names them: "model", "iALS", "EASE". */
    readonly what: string,
    readonly problems: string[],
  ) {
    super(`Invalid ${what} settings: ${problems.join(' ')}`);
    this.name = 'InvalidSettingsError';
  }
}

/** `settings` as they are; throws `InvalidSettingsError` when `findProblems` finds any. */
export function checkSettings<S>(settings: S, findProblems: (settings: S) => string[], what: string): S {
  const problems = findProblems(settings);
  if (problems.length > 0) throw new InvalidSettingsError(what, problems);
  return settings;
}

/**
 * `defaults` overlaid with `overrides`, checked as `checkSettings` does. Array values of the
 * (frozen) defaults are copied, so the settings returned are the caller's to change.
 */
export function resolveSettings<S extends object>(
  defaults: Readonly<S>,
  overrides: Partial<S>,
  findProblems: (settings: S) => string[],
  what: string,
): S {
  const copied = Object.fromEntries(Object.entries(defaults).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value]));
  return checkSettings({ ...copied, ...overrides } as S, findProblems, what);
}
