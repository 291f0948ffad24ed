#!/usr/bin/env node
// npm run bench:evaluation -- [--users 50000] [--items 9701] [--per-user 20]
// Times the product's evaluation (src/engine/evaluation/heldOutEvaluation.ts) at the seed's scale with an
// untrained default NeuMF (scoring costs the same whatever the weights): the sampled HR@10 of every user
// against 100 candidates (the held-out movie and 99 unseen ones), and the full-catalogue figures on the
// fixed seeded user sample. Prints one JSON line. Node, Vite's module loader (no build).
import { parseFlags, withSsrModules } from './lib/ssrModules.mjs';

const flags = parseFlags(process.argv.slice(2));
const users = Number(flags.users ?? 50_000);
const items = Number(flags.items ?? 9701);
const perUser = Number(flags['per-user'] ?? 20);

await withSsrModules(async (load) => {
  const { FusedNeuMF } = await load('/src/engine/model/fusedNeuMF.ts');
  const { resolveNeuMFSettings } = await load('/src/engine/model/neumfSettings.ts');
  const { planHeldOutEvaluation, evaluateHeldOut } = await load('/src/engine/evaluation/heldOutEvaluation.ts');
  const { SeededRandom } = await load('/src/shared/random.ts');
  // perUser + 2 distinct movies per user, the first perUser for training, then validation and test.
  const rng = new SeededRandom(1);
  const trainUsers = new Int32Array(users * perUser);
  const trainItems = new Int32Array(users * perUser);
  const validationItems = new Int32Array(users);
  const testItems = new Int32Array(users);
  for (let u = 0; u < users; u++) {
    const chosen = new Set();
    while (chosen.size < perUser + 2) chosen.add(rng.nextInt(items));
    const list = [...chosen];
    const train = list.slice(0, perUser).sort((a, b) => a - b);
    for (let k = 0; k < perUser; k++) {
      trainUsers[u * perUser + k] = u;
      trainItems[u * perUser + k] = train[k];
    }
    validationItems[u] = list[perUser];
    testItems[u] = list[perUser + 1];
  }
  const split = { numUsers: users, numItems: items, trainUsers, trainItems, validationItems, testItems };
  const settings = resolveNeuMFSettings({ threads: 1 });
  const model = new FusedNeuMF(users, items, settings);
  let started = performance.now();
  const plan = planHeldOutEvaluation(split, { perUser: 99 });
  const planSeconds = (performance.now() - started) / 1000;
  const scorer = { scoreUser: (u, out) => model.scoreUser(u, out), scorePairs: (us, is, out) => model.predict(us, is, out) };
  // The sampled metric alone: no user ranked against the full catalogue.
  const sampledOnly = { ...plan, validationUsers: new Int32Array(0), testUsers: new Int32Array(0) };
  started = performance.now();
  evaluateHeldOut(sampledOnly, scorer);
  const sampledSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const all = evaluateHeldOut(plan, scorer);
  const wholeSeconds = (performance.now() - started) / 1000;
  const round = (x) => Math.round(x * 1000) / 1000;
  console.log(
    JSON.stringify({
      users,
      items,
      sampled_users: plan.users.length,
      candidates: 100,
      sampled_s: round(sampledSeconds),
      full_users: all.fullUsers,
      full_catalogue_and_sampled_s: round(wholeSeconds),
      plan_s: round(planSeconds),
    }),
  );
});
