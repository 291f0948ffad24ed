#!/usr/bin/env node
// npm run bench:epoch-choice -- [--patience 5] [--epochs 50] <one thread.jsonl> <two threads.jsonl> [<one> <two> …]
// Applies two epoch choices to the per-epoch lines `npm run bench` printed, pair by pair, with early stopping at
// `--patience` as training does: the single best validation epoch (before session 15) and EpochChoice
// (src/engine/training/epochChoice.ts). A curve run with more patience than that (e.g. `--epochs 20 --patience 20`)
// is cut where each rule would have stopped. Prints one JSON line a pair and rule: the kept epochs and the second
// run's test figures minus the first's. Node, Vite's module loader (no build).
import { readFileSync } from 'node:fs';
import { withSsrModules } from './lib/ssrModules.mjs';

const args = process.argv.slice(2);
const option = (flag, fallback) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : fallback);
const patience = option('--patience', 5);
const epochLimit = option('--epochs', 50);
const files = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (files.length === 0 || files.length % 2 !== 0) {
  console.error('usage: npm run bench:epoch-choice -- [--patience 5] [--epochs 50] <one.jsonl> <two.jsonl> [...]');
  process.exit(2);
}
const epochsOf = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"epoch"'))
    .map((line) => JSON.parse(line));

await withSsrModules(async (load) => {
  const { EpochChoice } = await load('/src/engine/training/epochChoice.ts');
  const rules = {
    single: (epochs) => {
      let best = 0;
      for (const e of epochs.slice(1)) {
        if (e.val_ndcg10 > epochs[best].val_ndcg10) best = e.epoch;
        if (e.epoch - best >= patience && e.epoch < epochLimit) break;
      }
      return best;
    },
    smoothed: (epochs) => {
      const choice = new EpochChoice(epochs[0].val_ndcg10, 0);
      let stopped = false;
      for (const e of epochs.slice(1)) {
        choice.add(e.epoch, e.val_ndcg10, e.epoch);
        if (choice.epochsWithoutImprovement >= patience && e.epoch < epochLimit) {
          stopped = true;
          break;
        }
      }
      return choice.finish(stopped).epoch;
    },
  };
  for (let i = 0; i < files.length; i += 2) {
    const [one, two] = [epochsOf(files[i]), epochsOf(files[i + 1])];
    for (const [rule, keep] of Object.entries(rules)) {
      const [a, b] = [one[keep(one)], two[keep(two)]];
      const round = (x) => Math.round(x * 1e4) / 1e4;
      console.log(
        JSON.stringify({
          one: files[i],
          two: files[i + 1],
          rule,
          epochs: [a.epoch, b.epoch],
          one_hr10: a.hr10,
          one_full_hr10: a.full_hr10,
          diff_hr10: round(b.hr10 - a.hr10),
          diff_full_hr10: round(b.full_hr10 - a.full_hr10),
        }),
      );
    }
  }
});
