/** The rules a profile name follows, shared by create, rename and profile import. */

export const MIN_HISTORY_TO_FINISH = 20;
/** Counted in what a person sees as characters (grapheme clusters): "👩‍👩‍👧" is one, "Zoé" is three however it is encoded. */
export const MAX_NAME_LENGTH = 40;

/** Characters that reorder the text around them: a name with one can show as something it is not. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
const CONTROL_CHARACTERS = /\p{Cc}/u;
/** What shows nothing: spaces, format characters (zero-width space, joiners, BOM) and blank fillers. */
const INVISIBLE = /[\p{White_Space}\p{Cf}\u115F\u1160\u2800\u3164\uFFA0]/gu;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The name as it is stored and shown: composed (NFC), so "Zoé" is one spelling, and trimmed. */
export function cleanName(name: string): string {
  return name.normalize('NFC').trim();
}

/** The name's grapheme clusters: the characters a person sees. */
export function nameCharacters(name: string): string[] {
  return Array.from(graphemes.segment(name), (s) => s.segment);
}

/**
 * Names that read the same have the same key, which is unique: compatibility forms folded (NFKC:
 * full-width "Ａｎａ" is "Ana"), invisible characters dropped ("Ana" with a zero-width space is
 * "Ana"), case ignored.
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').replace(INVISIBLE, ' ').replace(/ +/g, ' ').trim().toLowerCase();
}

/**
 * The problem with a proposed name, as the page shows it, or null when it can be used.
 * `taken` holds the keys of the other profiles' names.
 */
export function profileNameProblem(name: string, taken: Iterable<string>): string | null {
  const cleaned = cleanName(name);
  if (CONTROL_CHARACTERS.test(cleaned)) return 'A name cannot contain control characters (such as a tab or a line break).';
  if (BIDI_CONTROLS.test(cleaned)) return 'A name cannot contain characters that change the direction of the text.';
  const key = nameKey(cleaned);
  if (key.length === 0)
    return cleaned.length === 0 ? 'Give the profile a name.' : 'Give the profile a name that shows: this one is invisible.';
  const length = nameCharacters(cleaned).length;
  if (length > MAX_NAME_LENGTH) return `A name has at most ${MAX_NAME_LENGTH} characters (this one has ${length}).`;
  for (const other of taken) if (other === key) return `There is already a profile called "${cleaned}". Pick another name.`;
  return null;
}

/** The first `count` characters (grapheme clusters) of `name`: never half an emoji or a letter without its accent. */
export function firstCharacters(name: string, count: number): string {
  return nameCharacters(name).slice(0, count).join('');
}

/** "Ana" -> "Ana (2)", or "Ana (3)" when that is taken too; kept within the name length limit. */
export function suggestProfileName(name: string, taken: Iterable<string>): string {
  const keys = new Set(taken);
  const stem = cleanName(name).replace(/ \(\d+\)$/, '');
  for (let n = 2; ; n++) {
    const suffix = ` (${n})`;
    const candidate = `${firstCharacters(stem, MAX_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    if (!keys.has(nameKey(candidate))) return candidate;
  }
}
