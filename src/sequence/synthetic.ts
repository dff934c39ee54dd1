/**
 * A seeded generator of synthetic opportunity stage histories with a planted long-range dependence, to check that a
 * sequence model sees what a first-order Markov chain cannot.
 *
 * @module
 */
import { createRandom, type RandomGenerator, type Seed } from "../core/random.ts";
import type { OpportunityHistory, OpportunityEvent } from "./encode.ts";
import { checkOptions, integerOption, MS_PER_DAY, numberOption, seedOption } from "./internal.ts";

/** The open stages of {@link generateStageHistories}, in forward order. @category sequence */
export const SYNTHETIC_STAGE_ORDER: readonly string[] = Object.freeze(["prospecting", "qualification", "technical-review", "proposal", "negotiation"]);

/** Options of {@link generateStageHistories}. @category sequence */
export interface GenerateStageHistoriesOptions {
  /** Number of opportunities. @defaultValue 1000 */
  count?: number;
  /** P(won | a negotiation closes) for deals that had a technical review. @defaultValue 0.8 */
  winWithReview?: number;
  /** P(won | a negotiation closes) for deals that did not. @defaultValue 0.2 */
  winWithoutReview?: number;
  /** Seed of every draw. @defaultValue 0 */
  seed?: Seed;
}

function exponentialDays(random: RandomGenerator, meanDays: number): number {
  return -Math.log(1 - random()) * meanDays;
}

/**
 * Generates synthetic B2B opportunity histories (the planted structure is documented so results can be checked):
 *
 * - Stages `prospecting → qualification → [technical-review] → proposal → negotiation → won | lost`, with stalls
 *   (an update event that keeps the stage, probability 0.15 per event in every open stage, 0.25 in negotiation) and
 *   backward moves (proposal → qualification 0.1, negotiation → proposal 0.1).
 * - From prospecting: qualification 0.75, lost 0.25. From qualification: technical-review 0.5, proposal 0.4, lost
 *   0.1; technical-review always moves on to proposal. From proposal: negotiation 0.8, lost 0.1, back 0.1.
 *   From negotiation: the deal closes with probability 0.65 per event.
 * - **The planted dependence:** a negotiation closes won with probability `winWithReview` (0.8) when the deal
 *   passed through technical-review at any earlier point, else `winWithoutReview` (0.2). The review lies at least
 *   two events before the close, so a first-order Markov chain, which sees only the current stage, cannot tell the
 *   two kinds of deals apart at negotiation; a sequence model can.
 * - Reviewed deals also move faster in negotiation (mean dwell 8 days instead of 20); dwell in other stages is
 *   exponential with means 10 (prospecting), 12 (qualification), 6 (technical-review), 14 (proposal) days.
 * - Amount: log-normal around 50,000 at creation, re-quoted at proposal (×0.8 to ×1.3); close date: set at creation
 *   60 to 120 days out, pushed back 30 days with probability 0.5 at each negotiation stall; activities: 0 to 5 per
 *   event, +3 on the review. Deals start uniformly over 2024 (UTC). At most 40 events per deal (then lost).
 *
 * Complexity: O(count · events per deal).
 *
 * @param options - count, the two win rates and the seed
 * @returns `count` histories with ids `"deal-0"`, `"deal-1"`, ...; every history ends won or lost
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a bad option
 * @example
 * ```ts
 * import { generateStageHistories } from "nextbest/sequence";
 * const deals = generateStageHistories({ count: 3, seed: 7 });
 * deals.map((d) => d.id); // => ["deal-0", "deal-1", "deal-2"]
 * deals.every((d) => ["won", "lost"].includes(d.events[d.events.length - 1]!.stage)); // => true
 * generateStageHistories({ count: 3, seed: 7 })[1]!.events.length === deals[1]!.events.length; // => true
 * ```
 * @category sequence
 */
export function generateStageHistories(options: GenerateStageHistoriesOptions = {}): OpportunityHistory[] {
  const fn = "generateStageHistories";
  checkOptions(fn, options);
  const count = integerOption(fn, "count", options.count, 1000, 0, 10_000_000);
  const winWithReview = numberOption(fn, "winWithReview", options.winWithReview, 0.8, 0, 1);
  const winWithoutReview = numberOption(fn, "winWithoutReview", options.winWithoutReview, 0.2, 0, 1);
  const random = createRandom(seedOption(fn, options.seed, 0));
  const yearStart = Date.UTC(2024, 0, 1);
  const dwell: Record<string, number> = { prospecting: 10, qualification: 12, "technical-review": 6, proposal: 14 };
  const out: OpportunityHistory[] = new Array(count);
  for (let d = 0; d < count; d++) {
    const events: OpportunityEvent[] = [];
    let time = yearStart + Math.floor(random() * 366 * MS_PER_DAY);
    let amount = Math.round(50_000 * Math.exp(0.6 * (random() + random() + random() - 1.5)));
    let closeDate = time + (60 + Math.floor(random() * 61)) * MS_PER_DAY;
    let stage = "prospecting";
    let reviewed = false;
    events.push({ stage, time, amount, closeDate, activities: Math.floor(random() * 6) });
    while (true) {
      let next: string;
      const u = random();
      if (events.length >= 40) next = "lost";
      else if (stage === "negotiation") {
        if (u < 0.25) next = "negotiation";
        else if (u < 0.35) next = "proposal";
        else next = random() < (reviewed ? winWithReview : winWithoutReview) ? "won" : "lost";
      } else if (u < 0.15) next = stage;
      else {
        const v = random();
        if (stage === "prospecting") next = v < 0.75 ? "qualification" : "lost";
        else if (stage === "qualification") next = v < 0.5 ? "technical-review" : v < 0.9 ? "proposal" : "lost";
        else if (stage === "technical-review") next = "proposal";
        else next = v < 0.8 ? "negotiation" : v < 0.9 ? "lost" : "qualification";
      }
      const meanDwell = stage === "negotiation" ? (reviewed ? 8 : 20) : dwell[stage]!;
      time += Math.max(1, Math.round(exponentialDays(random, meanDwell) * 24)) * 3_600_000;
      let activities = Math.floor(random() * 6);
      if (next === "technical-review") {
        reviewed = true;
        activities += 3;
      }
      if (next === "proposal" && stage !== "proposal") amount = Math.round(amount * (0.8 + 0.5 * random()));
      if (next === "negotiation" && stage === "negotiation" && random() < 0.5) closeDate += 30 * MS_PER_DAY;
      stage = next;
      if (stage === "won" || stage === "lost") {
        events.push({ stage, time, activities });
        break;
      }
      events.push({ stage, time, amount, closeDate, activities });
    }
    out[d] = { id: `deal-${d}`, events };
  }
  return out;
}
