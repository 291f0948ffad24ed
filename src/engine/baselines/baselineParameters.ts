/**
 * Every baseline's fitted parameters as one tagged union of plain objects and typed arrays, the
 * shape the app stores (IndexedDB keeps typed arrays as they are), and the one way back to a scorer.
 */
import type { CatalogueScorer } from './catalogueScorer';
import type { EaseParameters } from './ease';
import { EaseModel } from './ease';
import type { IalsParameters } from './ials';
import { IalsModel } from './ials';
import type { ItemPopParameters } from './itemPop';
import { ItemPopModel } from './itemPop';
import type { SparseRows } from '../data/sparseRows';

export type BaselineParameters = ItemPopParameters | EaseParameters | IalsParameters;

export type BaselineKind = BaselineParameters['kind'];

/**
 * A scorer from stored parameters. `histories` are the training rows the model was fitted on
 * (`buildUserHistories` of the same data): EASE needs them to score trained users, and in its
 * users form to score anything; ItemPop and iALS ignore them.
 */
export function scorerFromParameters(parameters: BaselineParameters, histories: SparseRows | null): CatalogueScorer {
  switch (parameters.kind) {
    case 'itempop':
      return ItemPopModel.fromParameters(parameters);
    case 'ease':
      return EaseModel.fromParameters(parameters, histories);
    case 'ials':
      return IalsModel.fromParameters(parameters);
  }
}
