import { describe, expect, it } from 'vitest';
import { fitItemPop, ItemPopModel } from '../../../../src/engine/baselines/itemPop';
import { split } from './tinySplit';

describe('ItemPop', () => {
  it('scores every item by its number of training users, the same for everyone', () => {
    const model = fitItemPop(split);
    const out = new Float32Array(5);
    model.scoreUser(2, out);
    expect(Array.from(out)).toEqual([0, 3, 1, 1, 0]);
    model.scoreHistory(Int32Array.from([4]), out);
    expect(Array.from(out)).toEqual([0, 3, 1, 1, 0]);
    const again = ItemPopModel.fromParameters(model.exportParameters());
    again.scoreUser(0, out);
    expect(Array.from(out)).toEqual([0, 3, 1, 1, 0]);
  });
});
