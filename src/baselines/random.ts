/**
 * The random baseline: every user gets a seeded random ranking of the items.
 *
 * @module
 */
import { assertSeed, isSeed } from "../internal/validate.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id, type IdIndex, type IdIndexJSON } from "../core/id-index.ts";
import { createRandom, type Seed } from "../core/random.ts";
import type { Interactions } from "../data/types.ts";
import { idIndexFieldFromJSON, idIndexFieldToJSON, readModelEnvelope, seedFromJSON } from "../internal/serialize.ts";
import type { Recommender } from "../recommend/types.ts";
import { checkInteractions, checkModelHeader, checkScoreBuffer, checkUserIndex, copySeen, seenFromJSON, seenToJSON } from "../recommend/contract.ts";

/**
 * Options of {@link fitRandom}.
 *
 * @category baselines
 */
export interface RandomOptions {
  /** Seed of every user's random scores: the same seed gives the same lists. Required. */
  seed: Seed;
}

/**
 * A fitted random model: the seed, the id indexes and the seen pattern (for seen-item filtering). Serialize it with
 * {@link randomToJSON}; use it through {@link randomRecommender}.
 *
 * @category baselines
 */
export interface RandomModel {
  /** Discriminant of the model family. */
  readonly kind: "random";
  /** Format version of this model; {@link randomFromJSON} reads version 1. */
  readonly version: 1;
  /** The seed the scores derive from. */
  readonly seed: Seed;
  /** The users seen in training. */
  readonly users: IdIndex;
  /** The items seen in training. */
  readonly items: IdIndex;
  /** `users + 1` offsets into `seenIndices`: user u saw `seenIndices[seenIndptr[u] .. seenIndptr[u+1])`. */
  readonly seenIndptr: Int32Array;
  /** The item indices each user interacted with in training, ascending within a user. */
  readonly seenIndices: Int32Array;
}

/**
 * The JSON form of a {@link RandomModel}.
 *
 * @category baselines
 */
export interface RandomModelJSON {
  /** Always `"random"`. */
  readonly kind: "random";
  /** The format version, 1. */
  readonly version: 1;
  /** The seed. */
  readonly seed: Seed;
  /** User ids in index order. */
  readonly users: IdIndexJSON;
  /** Item ids in index order. */
  readonly items: IdIndexJSON;
  /** `users + 1` offsets. */
  readonly seenIndptr: number[];
  /** Seen item indices. */
  readonly seenIndices: number[];
}

/**
 * Writes user `user`'s random scores into `out`: uniform in [0, 1), a pure function of (seed, user id, item index).
 * The generator is seeded with `JSON.stringify([seed, user])`, so the ids `1` and `"1"` differ and a user's list does
 * not depend on the user's index or on the other users.
 */
function fillRandomScores(seed: Seed, user: Id, out: Float64Array): void {
  const random = createRandom(JSON.stringify([seed, user]));
  for (let i = 0; i < out.length; i++) out[i] = random();
}

/**
 * Fits the random baseline: it keeps only the seed, the ids and the seen pattern. Each user's scores are uniform
 * random numbers drawn from a generator seeded by (seed, user id), so the same seed gives the same lists, different
 * users get different lists, and a user's list does not change when other users are added.
 *
 * It is the floor every model must clear by a wide margin (a metric near the random baseline means no signal), and
 * the last-resort fallback when nothing else is known.
 *
 * Complexity: O(users + nnz) time and memory. The seen pattern is copied, so the model shares no typed array with
 * `interactions`; the (frozen) id indexes are shared.
 *
 * @param interactions - the training interactions (from `createInteractions`)
 * @param options - the seed (required)
 * @returns a new frozen {@link RandomModel}; `interactions` is not changed
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `interactions` is not an Interactions object or the seed is
 *   missing or neither a finite number nor a string; `E_SHAPE` when its parts disagree in size; `E_EMPTY` when it
 *   has no users or no items
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRandom, randomRecommender } from "nextbest/baselines";
 * import { recommend } from "nextbest/recommend";
 * const data = createInteractions([
 *   { user: "acme", item: "crm" }, { user: "globex", item: "erp" }, { user: "globex", item: "bi" },
 * ]);
 * const a = recommend(randomRecommender(fitRandom(data, { seed: 7 })), "acme");
 * const b = recommend(randomRecommender(fitRandom(data, { seed: 7 })), "acme");
 * a.items.map((r) => r.item).sort(); // => ["bi", "erp"]
 * JSON.stringify(a) === JSON.stringify(b); // => true
 * ```
 * @category baselines
 */
export function fitRandom(interactions: Interactions, options: RandomOptions): RandomModel {
  const fn = "fitRandom";
  checkInteractions(fn, interactions);
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object with a seed, got ${describeValue(options)}`);
  }
  const seed = (options as Partial<RandomOptions> | undefined)?.seed;
  assertSeed(fn, "options.seed", seed);
  return Object.freeze({
    kind: "random",
    version: 1,
    seed,
    users: interactions.users,
    items: interactions.items,
    ...copySeen(interactions),
  });
}

/**
 * The {@link Recommender} adapter of a random model. Known users get their seeded random scores; unknown users get
 * seeded random scores from their id too (the same function, so a user's list is the same before and after they
 * join the training data), marked as fallback source `"random"`.
 *
 * Cheap: O(1) header checks, no copying. `scoreUser` costs O(items) (one seeded generator per call), `seenItems` O(1).
 *
 * @param model - a fitted or deserialized random model
 * @returns a recommender for `recommend`, `recommendMany`, `scoreItems`, evaluation and hybrids
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 random model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRandom, randomRecommender } from "nextbest/baselines";
 * import { recommend } from "nextbest/recommend";
 * const data = createInteractions([{ user: "acme", item: "crm" }, { user: "acme", item: "erp" }]);
 * const shuffled = randomRecommender(fitRandom(data, { seed: "2024-q3" }));
 * recommend(shuffled, "acme").items; // => []
 * recommend(shuffled, "hooli").items.length; // => 2
 * recommend(shuffled, "hooli").fallback; // => { reason: "unknown-user", source: "random" }
 * ```
 * @category baselines
 */
export function randomRecommender(model: RandomModel): Recommender {
  const fn = "randomRecommender";
  checkModelHeader(fn, model, "random", 1);
  const { seed, users, items, seenIndptr, seenIndices } = model;
  if (!isSeed(seed)) {
    throw new NextbestError("E_BAD_MODEL", `${fn}: model.seed must be a finite number or a string, got ${describeValue(seed)}`);
  }
  const itemCount = items.ids.length;
  const userCount = users.ids.length;
  return Object.freeze({
    name: "random",
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUserIndex("randomRecommender.scoreUser", user, userCount);
      checkScoreBuffer("randomRecommender.scoreUser", out, itemCount);
      fillRandomScores(seed, users.ids[user]!, out);
    },
    seenItems(user: number): ArrayLike<number> {
      checkUserIndex("randomRecommender.seenItems", user, userCount);
      return seenIndices.subarray(seenIndptr[user]!, seenIndptr[user + 1]!);
    },
    fallback: Object.freeze({
      source: "random",
      scoreInto(user: Id, out: Float64Array): void {
        checkId("randomRecommender.fallback.scoreInto", "user", user);
        checkScoreBuffer("randomRecommender.fallback.scoreInto", out, itemCount);
        fillRandomScores(seed, user, out);
      },
    }),
  });
}

/**
 * The JSON form of a random model, ready for `JSON.stringify`.
 *
 * Complexity: O(users + items + nnz).
 *
 * @param model - the model
 * @returns a new plain object; the model is not changed
 * @throws {@link core!NextbestError} `E_BAD_MODEL` when `model` is not a version-1 random model
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRandom, randomToJSON } from "nextbest/baselines";
 * const model = fitRandom(createInteractions([{ user: "acme", item: "crm" }]), { seed: 3 });
 * JSON.stringify(randomToJSON(model));
 * // => '{"kind":"random","version":1,"seed":3,"users":{"ids":["acme"]},"items":{"ids":["crm"]},"seenIndptr":[0,1],"seenIndices":[0]}'
 * ```
 * @category baselines
 */
export function randomToJSON(model: RandomModel): RandomModelJSON {
  checkModelHeader("randomToJSON", model, "random", 1);
  return {
    kind: "random",
    version: 1,
    seed: model.seed,
    users: idIndexFieldToJSON(model.users),
    items: idIndexFieldToJSON(model.items),
    ...seenToJSON(model),
  };
}

/**
 * Rebuilds a random model from its JSON form (parsed), validating kind, version, seed, unique ids and the seen
 * pattern. The rebuilt model gives exactly the same recommendations as the original.
 *
 * Complexity: O(users + items + nnz).
 *
 * @param json - the parsed JSON
 * @returns a new frozen {@link RandomModel}
 * @throws {@link core!NextbestError} `E_BAD_MODEL` naming the first offending field
 * @example
 * ```ts
 * import { createInteractions } from "nextbest/data";
 * import { fitRandom, randomFromJSON, randomToJSON } from "nextbest/baselines";
 * const model = fitRandom(createInteractions([{ user: "acme", item: "crm" }]), { seed: 3 });
 * randomFromJSON(JSON.parse(JSON.stringify(randomToJSON(model)))).seed; // => 3
 * ```
 * @category baselines
 */
export function randomFromJSON(json: unknown): RandomModel {
  const fn = "randomFromJSON";
  const record = readModelEnvelope(fn, json, "random", [1]);
  const seed = seedFromJSON(fn, "json.seed", record["seed"]);
  const users = idIndexFieldFromJSON(fn, "json.users", record["users"]);
  const items = idIndexFieldFromJSON(fn, "json.items", record["items"]);
  return Object.freeze({
    kind: "random",
    version: 1,
    seed,
    users,
    items,
    ...seenFromJSON(fn, record, users, items),
  });
}
