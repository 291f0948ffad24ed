import { describe, expect, it } from 'vitest';
import {
  cleanName,
  MAX_NAME_LENGTH,
  nameCharacters,
  nameKey,
  profileNameProblem,
  suggestProfileName,
} from '../../../src/storage/profileRules';

describe('profile names', () => {
  it.each([
    ['Ana\u200B', 'Ana'],
    ['Ａｎａ', 'Ana'],
    ['Zoe\u0301', 'Zoé'],
    ['  ANA ', 'ana'],
    ['Ana\u00A0Lu', 'Ana Lu'],
  ])('"%s" reads as "%s": one profile, not two', (name, other) => {
    expect(nameKey(name)).toBe(nameKey(other));
    expect(profileNameProblem(name, [nameKey(other)])).toMatch(/already a profile/);
  });

  it('stores the composed spelling', () => {
    expect(cleanName('Zoe\u0301')).toBe('Zo\u00e9');
  });

  it.each([
    ['\u200B\u200B', /invisible/],
    ['\u3164', /invisible/],
    ['   ', /Give the profile a name\./],
    ['Ana\u202Eeno', /direction of the text/],
    ['Ana\u2066x\u2069', /direction of the text/],
    ['Ana\u0000', /control characters/],
    ['Ana\tLu', /control characters/],
  ])('refuses %j', (name, problem) => {
    expect(profileNameProblem(name, [])).toMatch(problem);
  });

  it('counts what a person sees as characters', () => {
    const family = '👩‍👩‍👧';
    expect(nameCharacters(family)).toHaveLength(1);
    expect(profileNameProblem(family.repeat(MAX_NAME_LENGTH), [])).toBeNull();
    expect(profileNameProblem(family.repeat(MAX_NAME_LENGTH + 1), [])).toMatch(/at most 40 characters \(this one has 41\)/);
    expect(profileNameProblem('Zoe\u0301'.repeat(13), [])).toBeNull();
  });

  it('never cuts an emoji in half to make room for "(2)"', () => {
    const name = `${'x'.repeat(MAX_NAME_LENGTH - 5)}😀👩‍👩‍👧😀😀😀`;
    const suggested = suggestProfileName(name, [nameKey(name)]);
    expect(suggested).toBe(`${'x'.repeat(MAX_NAME_LENGTH - 5)}😀 (2)`);
    expect(profileNameProblem(suggested, [nameKey(name)])).toBeNull();
    expect(suggested.isWellFormed()).toBe(true);
  });
});
