import type { TrainingEvent, TrainingRequest, TrainingResult } from './trainingMessages';
import { runJob, type RequestOptions } from './workerBridge';

/**
 * Trains in a worker of its own. Aborting terminates the worker: the model is saved in one
 * transaction at the end, so a cancelled run leaves the previous model as it was.
 */
export function runTraining(
  request: TrainingRequest,
  options: Omit<RequestOptions<TrainingEvent>, 'transfer'> = {},
): Promise<TrainingResult> {
  return runJob<TrainingRequest, TrainingEvent, TrainingResult>(
    () => new Worker(new URL('../../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'training' }),
    { name: 'training', cancelledMessage: 'Training cancelled.' },
    request,
    options,
  );
}
