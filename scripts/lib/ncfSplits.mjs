// The NCF-format leave-one-out splits the Node benchmark scripts know by name (paths from the repository root).
export const NCF_SPLITS = {
  'ml-100k': '../shared/data/ncf-splits/ml-100k',
  'ml-latest-small': '../shared/data/ncf-splits/ml-latest-small',
  'ml-1m': '../shared/data/ncf-ml-1m/ml-1m',
};
