import { describe, expect, it } from 'vitest';
import { checkSettings, InvalidSettingsError, resolveSettings } from '../../../src/shared/settings';

interface Toy {
  size: number;
  layers: number[];
}

const defaults: Readonly<Toy> = Object.freeze({ size: 2, layers: Object.freeze([4, 2]) as unknown as number[] });
const findProblems = (toy: Toy) => [
  ...(toy.size > 0 ? [] : ['Size must be above 0.']),
  ...(toy.layers.length > 0 ? [] : ['Give at least one layer.']),
];

describe('resolveSettings', () => {
  it('lays the overrides over the defaults, copying their arrays', () => {
    const toy = resolveSettings(defaults, { size: 3 }, findProblems, 'toy');
    expect(toy).toEqual({ size: 3, layers: [4, 2] });
    expect(toy.layers).not.toBe(defaults.layers);
    toy.layers.push(1);
    expect(defaults.layers).toEqual([4, 2]);
  });

  it('throws the problems a person can act on, in one sentence naming the settings', () => {
    let caught: unknown;
    try {
      resolveSettings(defaults, { size: 0, layers: [] }, findProblems, 'toy');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidSettingsError);
    const error = caught as InvalidSettingsError;
    expect(error.what).toBe('toy');
    expect(error.problems).toEqual(['Size must be above 0.', 'Give at least one layer.']);
    expect(error.message).toBe('Invalid toy settings: Size must be above 0. Give at least one layer.');
  });
});

describe('checkSettings', () => {
  it('returns settings without problems as they are', () => {
    const toy = { size: 1, layers: [1] };
    expect(checkSettings(toy, findProblems, 'toy')).toBe(toy);
    expect(() => checkSettings({ ...toy, size: -1 }, findProblems, 'toy')).toThrow('Invalid toy settings: Size must be above 0.');
  });
});
