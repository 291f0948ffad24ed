/** The rules a profile name follows, shared by create, rename and profile import. */

export const MIN_HISTORY_TO_FINISH = 20;
export const MAX_NAME_LENGTH = 40;

export function nameKey(name: string): string {
  return name.trim().toLocaleLowerCase();
}

/**
 * The problem with a proposed name, as the page shows it, or null when it can be used.
 * `taken` holds the keys of the other profiles' names.
 */
export function profileNameProblem(name: string, taken: Iterable<string>): string | null {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'Give the profile a name.';
  if (trimmed.length > MAX_NAME_LENGTH) return `A name has at most ${MAX_NAME_LENGTH} characters (this one has ${trimmed.length}).`;
  const key = nameKey(trimmed);
  for (const other of taken) if (other === key) return `There is already a profile called "${trimmed}". Pick another name.`;
  return null;
}
