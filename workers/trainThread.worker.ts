/// <reference lib="webworker" />
import { serveTrainingThread, type TrainingThreadSetup } from '../src/engine/training/trainingThreads';

/**
 * One helper thread of a NeuMF training run on several threads (src/engine/training/trainingThreads.ts).
 * Started by the training worker, told its setup once; answers 'ready' once attached to the shared
 * model, then trains the epochs the training worker starts until it is stopped or terminated.
 */
self.onmessage = (event: MessageEvent<TrainingThreadSetup>) => {
  serveTrainingThread(event.data, () => self.postMessage('ready'));
};
