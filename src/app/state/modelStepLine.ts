import { RECOMMENDER_NAMES } from '../../bridge/trainingMessages';
import type { ModelProgress } from './trainingJob.svelte';

/**
 * One model's step in the Train page's list while a run trains: where it stands, with the epoch
 * being trained, as the progress line under the list numbers it (NeuMF's epochs so far start
 * with the untrained epoch 0; until session 19 this said the last one done, one behind the line).
 */
export function modelStepLine(m: ModelProgress): string {
  const name = RECOMMENDER_NAMES[m.kind];
  if (m.state === 'done') return `${name}: done`;
  if (m.state === 'waiting') return `${name}: waiting`;
  if (m.state === 'saving') return `${name}: saving`;
  if (m.kind === 'neumf') return `${name}: epoch ${(m.epochs.at(-1)?.epoch ?? 0) + 1}`;
  if (m.kind === 'ease') return `${name}: trying λ ${m.epochs.length + 1}`;
  if (m.kind === 'ials') return `${name}: epoch ${m.epochs.length + 1}`;
  return `${name}: counting`;
}
