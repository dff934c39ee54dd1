// The shared engine of recommend / recommendMany / scoreItems: boundary checks, the eligibility mask built once per
// call, and the per-user top-k that reuses one score buffer and one mask. Not exported by the barrel.
import { attachDisplay, htmlTable } from "../internal/jupyter.ts";
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, indexOfId, type Id } from "../core/id-index.ts";
import { topK } from "../linalg/topk.ts";
import type { Recommendation, RecommendationFallback, RecommendedItem, RecommendOptions, Recommender } from "./types.ts";

/** Throws E_BAD_INPUT unless `value` has the shape of a {@link Recommender} (O(1): checks members, not contents). */
export function checkRecommender(fn: string, value: unknown): asserts value is Recommender {
  const r = value as Partial<Recommender> | null;
  const fail = (what: string, got: unknown): never => {
    throw new NextbestError("E_BAD_INPUT", `${fn}: recommender${what} got ${describeValue(got)}`);
  };
  if (typeof r !== "object" || r === null) fail(" must be a Recommender (e.g. from popularityRecommender(model)),", r);
  const rec = r as Partial<Recommender>;
  if (typeof rec.name !== "string") fail(".name must be a string,", rec.name);
  if (!Array.isArray(rec.users?.ids) || !(rec.users?.lookup instanceof Map)) fail(".users must be an IdIndex,", rec.users);
  if (!Array.isArray(rec.items?.ids) || !(rec.items?.lookup instanceof Map)) fail(".items must be an IdIndex,", rec.items);
  if (typeof rec.scoreUser !== "function") fail(".scoreUser must be a function,", rec.scoreUser);
  if (typeof rec.seenItems !== "function") fail(".seenItems must be a function,", rec.seenItems);
  if (rec.fallback !== undefined) {
    if (typeof rec.fallback !== "object" || rec.fallback === null) fail(".fallback must be an object or absent,", rec.fallback);
    if (typeof rec.fallback.source !== "string") fail(".fallback.source must be a string,", rec.fallback.source);
    if (rec.fallback.sourceFor !== undefined && typeof rec.fallback.sourceFor !== "function") fail(".fallback.sourceFor must be a function,", rec.fallback.sourceFor);
    if (typeof rec.fallback.scoreInto !== "function") fail(".fallback.scoreInto must be a function,", rec.fallback.scoreInto);
  }
}

function checkBoolean(fn: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === "boolean") return value;
  throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be a boolean, got ${describeValue(value)}`);
}

/** Throws E_BAD_INPUT unless `options` is undefined or a plain object (not an array, not null). */
export function checkOptionsObject(fn: string, options: unknown): void {
  if (options !== undefined && (typeof options !== "object" || options === null || Array.isArray(options))) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object, got ${describeValue(options)}`);
  }
}

/** The resolved `strict` flag of an options object. */
export function resolveStrict(fn: string, strict: unknown): boolean {
  return checkBoolean(fn, "options.strict", strict) ?? false;
}

/** A validated request, resolved once per call and shared by every user of a batch. */
export interface RecommendPlan {
  readonly k: number;
  readonly excludeSeen: boolean;
  readonly strict: boolean;
  /** Eligibility before seen filtering: a non-zero byte excludes the item (not allowed, or denied). */
  readonly base: Uint8Array;
}

function forEachItemId(fn: string, name: string, ids: unknown, visit: (id: Id, position: number) => void): void {
  if (
    ids === null ||
    typeof ids !== "object" ||
    typeof (ids as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function"
  ) {
    // Strings are iterable too, but a string here is almost surely a single id passed by mistake.
    throw new NextbestError("E_BAD_INPUT", `${fn}: ${name} must be an iterable of item ids (an array or a Set), got ${describeValue(ids)}`);
  }
  let position = 0;
  for (const id of ids as Iterable<unknown>) {
    checkId(fn, `${name}[${position}]`, id);
    visit(id, position);
    position++;
  }
}

/** Validates the options and builds the allow/deny mask once. */
export function planRecommend(fn: string, recommender: Recommender, options: RecommendOptions | undefined): RecommendPlan {
  checkOptionsObject(fn, options);
  const o = options ?? {};
  const k = o.k === undefined ? 10 : o.k;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 1) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: options.k must be a positive integer, got ${describeValue(k)}`);
  }
  const excludeSeen = checkBoolean(fn, "options.excludeSeen", o.excludeSeen) ?? true;
  const strict = resolveStrict(fn, o.strict);
  const items = recommender.items;
  const base = new Uint8Array(items.ids.length);
  const resolve = (name: string) => (id: Id, position: number): number => {
    const index = indexOfId(items, id);
    if (index < 0 && strict) {
      throw new NextbestError(
        "E_UNKNOWN_ID",
        `${fn}: ${name}[${position}] must be an item the model knows (strict), got ${describeValue(id)}`,
      );
    }
    return index;
  };
  if (o.allowItems !== undefined) {
    base.fill(1);
    const lookUp = resolve("options.allowItems");
    forEachItemId(fn, "options.allowItems", o.allowItems, (id, position) => {
      const index = lookUp(id, position);
      if (index >= 0) base[index] = 0;
    });
  }
  if (o.denyItems !== undefined) {
    const lookUp = resolve("options.denyItems");
    forEachItemId(fn, "options.denyItems", o.denyItems, (id, position) => {
      const index = lookUp(id, position);
      if (index >= 0) base[index] = 1;
    });
  }
  return { k, excludeSeen, strict, base };
}

/** Buffers reused across the users of one call. */
export interface Workspace {
  readonly scores: Float64Array;
  /** Starts equal to `plan.base`; seen items are set and restored around each top-k. */
  readonly mask: Uint8Array;
}

/** Allocates the score buffer and the working mask for a plan. */
export function createWorkspace(recommender: Recommender, plan: RecommendPlan): Workspace {
  return { scores: new Float64Array(recommender.items.ids.length), mask: plan.base.slice() };
}

/** Throws E_UNKNOWN_ID for an unknown user in strict mode. */
export function unknownUser(fn: string, user: Id): never {
  throw new NextbestError("E_UNKNOWN_ID", `${fn}: user must be a user the model knows (strict), got ${describeValue(user)}`);
}

/**
 * Throws E_NON_FINITE naming the item when a recommender wrote ±Infinity: a score is a finite number, or NaN for
 * "cannot score" (ranked out of the list). An infinite score has no defined place in a ranking, ties among several
 * of them break nowhere, and a blend or a metric would turn it into NaN silently, so it is rejected where it appears.
 */
function checkScores(fn: string, recommender: Recommender, writer: string, user: Id, scores: Float64Array): void {
  for (let i = 0; i < scores.length; i++) {
    const score = scores[i]!;
    if (score === Number.POSITIVE_INFINITY || score === Number.NEGATIVE_INFINITY) {
      throw new NextbestError(
        "E_NON_FINITE",
        `${fn}: ${writer} must write finite scores (or NaN for "cannot score"), got ${score} for item ${describeValue(recommender.items.ids[i])} (user ${describeValue(user)}, recommender ${describeValue(recommender.name)})`,
      );
    }
  }
}

/**
 * The top-k for one user (already validated as an id), reusing the workspace; `scored`, when given, holds the known
 * user's scores already written by `scoreUsers` (an unknown user still gets the fallback's).
 */
export function recommendOne(
  fn: string,
  recommender: Recommender,
  user: Id,
  plan: RecommendPlan,
  workspace: Workspace,
  scored?: Float64Array,
): Recommendation {
  const { mask } = workspace;
  const u = indexOfId(recommender.users, user);
  if (u < 0) {
    if (plan.strict) unknownUser(fn, user);
    const fallback = recommender.fallback;
    if (fallback === undefined) {
      return displayable({ user, items: [], fallback: { reason: "unknown-user", source: null }, excludedSeen: 0 });
    }
    const fallbackScores = workspace.scores;
    fallback.scoreInto(user, fallbackScores);
    checkScores(fn, recommender, "recommender.fallback.scoreInto", user, fallbackScores);
    const marked: RecommendationFallback = { reason: "unknown-user", source: fallback.sourceFor?.(user) ?? fallback.source };
    return displayable({ user, items: collect(recommender, fallbackScores, topK(fallbackScores, { k: plan.k, exclude: mask })), fallback: marked, excludedSeen: 0 });
  }
  const scores = scored ?? workspace.scores;
  if (scored === undefined) recommender.scoreUser(u, scores);
  checkScores(fn, recommender, scored === undefined ? "recommender.scoreUser" : "recommender.scoreUsers", user, scores);
  let excludedSeen = 0;
  let order: Int32Array;
  if (plan.excludeSeen) {
    const seen = recommender.seenItems(u);
    const n = mask.length;
    for (let p = 0; p < seen.length; p++) {
      const j = seen[p]!;
      if (j >= 0 && j < n && mask[j] === 0) {
        mask[j] = 1;
        excludedSeen++;
      }
    }
    order = topK(scores, { k: plan.k, exclude: mask });
    const base = plan.base;
    for (let p = 0; p < seen.length; p++) {
      const j = seen[p]!;
      if (j >= 0 && j < n) mask[j] = base[j]!;
    }
  } else {
    order = topK(scores, { k: plan.k, exclude: mask });
  }
  return displayable({ user, items: collect(recommender, scores, order), fallback: null, excludedSeen });
}

/** A result from scores already written (by `scoreHistory`, say): checked for ±∞, cut at NaN, shown as a table. */
export function recommendationOf(fn: string, recommender: Recommender, user: Id, scores: Float64Array, order: Int32Array, excludedSeen: number): Recommendation {
  checkScores(fn, recommender, "recommender.scoreHistory", user, scores);
  return displayable({ user, items: collect(recommender, scores, order), fallback: null, excludedSeen });
}

// Notebooks (Deno's Jupyter kernel) show a recommendation as a table; JSON and equality never see the hook.
function displayable(result: Recommendation): Recommendation {
  return attachDisplay(result, () => {
    const note = result.fallback === null ? "" : ` (fallback: ${result.fallback.reason}${result.fallback.source === null ? "" : `, ${result.fallback.source}`})`;
    return {
      "text/html": htmlTable(
        ["rank", "item", "score"],
        result.items.map((entry) => [entry.rank, String(entry.item), entry.score]),
        `Next best items for ${String(result.user)}${note}; ${result.excludedSeen} seen items left out`,
      ),
    };
  });
}

// Result rows for the ranked indices; NaN scores (topK ranks them last) mean "cannot score" and end the list.
function collect(recommender: Recommender, scores: Float64Array, order: Int32Array): RecommendedItem[] {
  const ids = recommender.items.ids;
  const out: RecommendedItem[] = [];
  for (let r = 0; r < order.length; r++) {
    const i = order[r]!;
    const score = scores[i]!;
    if (score !== score) break;
    out.push({ item: ids[i]!, score, rank: r + 1 });
  }
  return out;
}
