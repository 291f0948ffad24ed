import { describe, expect, it } from 'vitest';
import { scorerFromParameters } from '../../../../src/engine/baselines/baselineParameters';
import { fitEase } from '../../../../src/engine/baselines/ease';
import { fitIals } from '../../../../src/engine/baselines/ials';
import { fitItemPop } from '../../../../src/engine/baselines/itemPop';
import { buildUserHistories } from '../../../../src/engine/data/sparseRows';
import { split } from './tinySplit';

describe('stored parameters', () => {
  it('come back as a scorer of the same kind with the same scores', () => {
    const histories = buildUserHistories(split);
    for (const model of [fitItemPop(split), fitEase(split, { lambda: 1 }), fitIals(split, { dimension: 2, epochs: 2 })]) {
      const again = scorerFromParameters(model.exportParameters(), histories);
      const a = new Float32Array(5);
      const b = new Float32Array(5);
      model.scoreUser(1, a);
      again.scoreUser(1, b);
      expect(again.constructor).toBe(model.constructor);
      expect(b).toEqual(a);
    }
  });
});
