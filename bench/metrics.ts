// The metrics suite: ranking metrics for 100,000 synthetic users at k = 20 (about 5 relevant items each), through the
// batch path (rankingMetricsOverUsers: all seven metrics, per-user values and means) beside the per-user functions
// called one metric at a time; plus beyond-accuracy and classification metrics at matching sizes.
// Fixed sizes and seed; every figure is the median of several batches in one process.
import { createRandom, randomInt, type Id, type RandomGenerator } from "../src/core/index.ts";
import {
  averagePrecisionAtK,
  averageRecommendationPopularity,
  catalogCoverage,
  f1AtK,
  hitRateAtK,
  meanOverUsers,
  ndcgAtK,
  novelty,
  precisionAtK,
  rankingMetricsOverUsers,
  recallAtK,
  reciprocalRank,
  rocAuc,
  cumulativeGains,
} from "../src/metrics/index.ts";
import { timeMs, type BenchRow, type SuiteResult } from "./lib.ts";

const USERS = 100_000;
const K = 20;
const RELEVANT = 5;
const CATALOG = 5_000;
const SEED = 20240611;

interface Workload {
  lists: Map<Id, Id[]>;
  relevant: Map<Id, Set<Id>>;
}

// Items drawn with a popularity skew (the square of a uniform index favours low ids), distinct per list. Each relevant
// item lands in the user's list with probability 0.3 at a random slot, so lists hold about 1.5 hits on average.
function distinctItems(random: RandomGenerator, count: number, out: Set<Id>, toId: (i: number) => Id): void {
  while (out.size < count) {
    const u = random();
    out.add(toId(Math.floor(u * u * CATALOG)));
  }
}

function makeWorkload(toId: (i: number) => Id, userId: (u: number) => Id): Workload {
  const random = createRandom(SEED);
  const lists = new Map<Id, Id[]>();
  const relevant = new Map<Id, Set<Id>>();
  for (let u = 0; u < USERS; u++) {
    const rel = new Set<Id>();
    distinctItems(random, RELEVANT, rel, toId);
    const list = new Set<Id>();
    for (const item of rel) if (random() < 0.3) list.add(item);
    distinctItems(random, K, list, toId);
    const ordered = [...list];
    // shuffle the list so hits fall anywhere in the top 20
    for (let i = ordered.length - 1; i > 0; i--) {
      const j = randomInt(random, i + 1);
      [ordered[i], ordered[j]] = [ordered[j]!, ordered[i]!];
    }
    lists.set(userId(u), ordered);
    relevant.set(userId(u), rel);
  }
  return { lists, relevant };
}

// The peer: the seven per-user functions called one by one, then meanOverUsers on each metric's values.
function perUserFunctions(workload: Workload): number {
  const n = workload.lists.size;
  const columns = Array.from({ length: 7 }, () => new Float64Array(n));
  let u = 0;
  for (const [user, list] of workload.lists) {
    const rel = workload.relevant.get(user)!;
    columns[0]![u] = precisionAtK(list, rel, { k: K });
    columns[1]![u] = recallAtK(list, rel, { k: K });
    columns[2]![u] = f1AtK(list, rel, { k: K });
    columns[3]![u] = hitRateAtK(list, rel, { k: K });
    columns[4]![u] = ndcgAtK(list, rel, { k: K });
    columns[5]![u] = averagePrecisionAtK(list, rel, { k: K });
    columns[6]![u] = reciprocalRank(list, rel, { k: K });
    u++;
  }
  return columns.reduce((s, column) => s + meanOverUsers(column), 0);
}

export async function runMetrics(): Promise<SuiteResult> {
  const rows: BenchRow[] = [];
  const log = (row: BenchRow): void => {
    rows.push(row);
    const peer = row.peerValue === undefined ? "" : `  (${row.peer}: ${row.peerValue.toPrecision(4)})`;
    console.log(`  ${row.name}: ${row.value.toPrecision(4)} ${row.unit}${peer}`);
  };
  const slow = { minTotalMs: 1500, batches: 5, warmupMs: 300 };

  const numeric = makeWorkload((i) => i, (u) => u);
  const check = rankingMetricsOverUsers(numeric.lists, numeric.relevant, { k: K });
  console.log(
    `  workload: ${check.users.length} users, mean hits@20 ${(check.mean.precision * K).toFixed(2)}, ` +
      `ndcg@20 ${check.mean.ndcg.toFixed(4)}, MAP@20 ${check.mean.averagePrecision.toFixed(4)}`,
  );
  log({
    name: "metrics-100000-users-k20",
    value: timeMs(() => rankingMetricsOverUsers(numeric.lists, numeric.relevant, { k: K }).mean.ndcg, slow),
    unit: "ms",
    peer: "7 per-user functions + meanOverUsers",
    peerValue: timeMs(() => perUserFunctions(numeric), slow),
  });

  // String ids as an id index holds them: one string per item, shared by every list and relevant set.
  const itemNames = Array.from({ length: CATALOG }, (_, i) => `item-${i}`);
  const strings = makeWorkload((i) => itemNames[i]!, (u) => `user-${u}`);
  log({
    name: "metrics-100000-users-k20-string-ids",
    value: timeMs(() => rankingMetricsOverUsers(strings.lists, strings.relevant, { k: K }).mean.ndcg, slow),
    unit: "ms",
  });
  const graded = new Map<Id, Map<Id, number>>();
  {
    const random = createRandom(SEED + 1);
    for (const [user, rel] of numeric.relevant) graded.set(user, new Map([...rel].map((item) => [item, 1 + randomInt(random, 5)])));
  }
  log({
    name: "metrics-100000-users-k20-graded-ndcg",
    value: timeMs(() => rankingMetricsOverUsers(numeric.lists, numeric.relevant, { k: K, gains: graded }).mean.ndcg, slow),
    unit: "ms",
  });
  const ndcgValues = new Float64Array(USERS);
  log({
    name: "ndcgAtK-100000-users-k20",
    value: timeMs(() => {
      let u = 0;
      for (const [user, list] of numeric.lists) ndcgValues[u++] = ndcgAtK(list, numeric.relevant.get(user)!, { k: K });
      return meanOverUsers(ndcgValues);
    }, slow),
    unit: "ms",
  });

  const popularity = new Map<Id, number>();
  for (const rel of numeric.relevant.values()) for (const item of rel) popularity.set(item, (popularity.get(item) ?? 0) + 1);
  const catalog = Array.from({ length: CATALOG }, (_, i) => i);
  log({
    name: "beyond-accuracy-100000-users-k20",
    value: timeMs(
      () =>
        catalogCoverage(numeric.lists, catalog) +
        novelty(numeric.lists, popularity, { userCount: USERS }) +
        averageRecommendationPopularity(numeric.lists, popularity),
      slow,
    ),
    unit: "ms",
  });

  const random = createRandom(SEED + 2);
  const n = 1_000_000;
  const scores = new Float64Array(n);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = random() < 0.1 ? 1 : 0;
    scores[i] = Math.round((random() + 0.3 * labels[i]!) * 1000) / 1000; // rounded: many ties
  }
  log({ name: "rocAuc-1000000-scores", value: timeMs(() => rocAuc(scores, labels), slow), unit: "ms" });
  log({ name: "cumulativeGains-1000000-scores", value: timeMs(() => cumulativeGains(scores, labels).length, slow), unit: "ms" });

  return {
    suite: "metrics",
    protocol:
      `Synthetic, seed ${SEED}: ${USERS} users, catalog ${CATALOG} items with a popularity skew, ${RELEVANT} relevant ` +
      `items per user, a list of ${K} distinct items per user holding each relevant item with probability 0.3. ` +
      "metrics-100000-users-k20 times rankingMetricsOverUsers (precision, recall, F1, hit rate, binary nDCG, AP, RR: " +
      "per-user values and their means) on numeric ids, with relevant items as Sets; the peer calls the seven per-user " +
      "functions per user and meanOverUsers per metric. Variants: string ids (one shared string per item, as an IdIndex holds them), graded nDCG (grades 1..5), ndcgAtK alone " +
      "per user. beyond-accuracy: catalogCoverage + novelty + averageRecommendationPopularity over the same lists. " +
      "Classification: 1,000,000 scores rounded to 3 decimals (many ties), 10% positives. Median of 5 batches per " +
      "figure after warm-up, one process.",
    rows,
  };
}
