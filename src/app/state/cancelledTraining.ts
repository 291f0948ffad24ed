/**
 * What the Train page says a cancelled run left. A run saves its models one by one (the
 * baselines before NeuMF), so a cancel can leave nothing, the model from before the run, or the
 * models the run had finished, which then recommend.
 */
export function cancelledTrainingMessage(modelBefore: number | null, modelAfter: number | null, finished: string[]): string {
  if (modelAfter === null) return 'Training cancelled. Nothing was saved.';
  if (modelAfter === modelBefore) return 'Training cancelled. The previous model is kept.';
  const what = finished.length > 0 ? `What it had finished is saved (${finished.join(', ')})` : 'What it had finished is saved';
  return `Training cancelled. ${what} and recommends until you train again.`;
}
