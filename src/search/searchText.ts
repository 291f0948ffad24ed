/**
 * Titles and queries folded to the same plain form before they are compared: lower case, accents
 * dropped ("Léon" is "leon"), punctuation as word breaks ("Star Wars: Episode IV" is "star wars episode iv").
 * People type titles as they remember them, rarely with the accents or colons the data set has.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en')
    .replace(/['’]/g, '') // "Schindler's" is "schindlers", as people type it
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words of a folded text. */
export function foldedWords(text: string): string[] {
  const folded = foldText(text);
  return folded.length === 0 ? [] : folded.split(' ');
}
