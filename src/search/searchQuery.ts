import { foldedWords } from './searchText';

/** What a person typed into the title search, read as title words and, optionally, a release year. */
export interface SearchQuery {
  /** Folded title words, in the order typed. */
  words: string[];
  /** A four-digit year typed after the title ("up 2009", "star wars 1977"), or null. */
  year: number | null;
}

/** The release years a typed number can mean: from the first films to a year or two ahead of the catalogue. */
export interface YearSpan {
  first: number;
  last: number;
}

/**
 * Reads "star wars 1977" as the words "star wars" released in 1977. Only a last word can be a year,
 * only when words come before it and only within the catalogue's years: "1917", "2001 a space odyssey"
 * and "blade runner 2049" stay titles. MovieSearch still lets a title that has the number win.
 */
export function readQuery(text: string, years: YearSpan): SearchQuery {
  const words = foldedWords(text);
  const last = words.at(-1);
  if (words.length >= 2 && last !== undefined && /^\d{4}$/.test(last)) {
    const year = Number(last);
    if (year >= years.first && year <= years.last) return { words: words.slice(0, -1), year };
  }
  return { words, year: null };
}
