/**
 * The switching hybrid: accounts with little history get a cold-start model, the others the warm model.
 *
 * @module
 */
import { NextbestError, describeValue } from "../core/errors.ts";
import { checkId, type Id } from "../core/id-index.ts";
import { assertInteger } from "../internal/validate.ts";
import { checkRecommender } from "../recommend/engine.ts";
import type { Recommender } from "../recommend/types.ts";
import { checkOptions } from "./blend.ts";
import { alignComponents, checkBuffer, checkName, checkUser, unionSeen } from "./shared.ts";

/**
 * Options of {@link switchingRecommender}.
 *
 * @category hybrid
 */
export interface SwitchingOptions {
  /** The model for users with enough history (e.g. kNN, matrix factorization, or a blend). */
  warm: Recommender;
  /** The model for users with little or no history (e.g. content and look-alikes, or popularity). */
  cold: Recommender;
  /**
   * Users with fewer than this many training interactions (distinct items the warm model has seen them with,
   * `warm.seenItems(user).length`; 0 for users the warm model does not know) are routed to `cold`. An integer >= 0;
   * 0 routes every user the warm model knows to `warm`.
   * @defaultValue 1
   */
  minInteractions?: number;
  /** The hybrid's `name`. @defaultValue "switching" */
  name?: string;
}

/**
 * Which component a {@link switchingRecommender} uses for a user, and why.
 *
 * @category hybrid
 */
export interface SwitchRoute {
  /** The user id as passed. */
  readonly user: Id;
  /** `"warm"` or `"cold"`: the component whose scores the user gets. */
  readonly route: "warm" | "cold";
  /** The routed component's `name`. */
  readonly component: string;
  /** Whether the routed component scores the user with its own `fallback` (it does not know the user). */
  readonly viaFallback: boolean;
  /** The user's training interactions as counted for the switch. */
  readonly interactions: number;
}

interface SwitchState {
  route(user: Id): SwitchRoute;
}

const switches = new WeakMap<Recommender, SwitchState>();

/**
 * A switching hybrid: each user is scored by exactly one component, `cold` when the user has fewer than
 * `minInteractions` training interactions, `warm` otherwise.
 *
 * Burke (2002), "Hybrid recommender systems: survey and experiments" ("switching" hybrids), with history length as
 * the switching criterion: cold accounts fall back to content and look-alikes, which need no purchase history.
 * - Users and items: the unions of both components' (aligned by id); an item the routed component does not score is
 *   NaN (never recommended). Seen items: the union of both components' seen items.
 * - A routed component that does not know the user uses its own `fallback` (all NaN without one).
 * - Users neither component knows get the hybrid's `fallback`: `cold`'s fallback when it has one, else `warm`'s;
 *   its `source` is that fallback's source. Which route a user takes: {@link switchRoute}.
 *
 * Complexity: construction O(users + items); `scoreUser` one component's `scoreUser` plus O(items).
 *
 * @param options - the warm and cold components, the threshold and the name
 * @returns the switching recommender
 * @throws {@link core!NextbestError} `E_BAD_INPUT` for a missing component or a bad threshold or name
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import { recommend, type Recommender } from "nextbest/recommend";
 * import { switchingRecommender } from "nextbest/hybrid";
 * const items = createIdIndex(["a", "b", "c"]);
 * const cf: Recommender = {
 *   name: "cf", users: createIdIndex(["old", "new"]), items,
 *   scoreUser(_user, out) { out.set([0.1, 0.2, 0.9]); },
 *   seenItems(user) { return user === 0 ? [0, 1] : []; },
 * };
 * const content: Recommender = {
 *   name: "content", users: createIdIndex(["old", "new"]), items,
 *   scoreUser(_user, out) { out.set([0.9, 0.5, 0.1]); }, seenItems() { return []; },
 * };
 * const hybrid = switchingRecommender({ warm: cf, cold: content, minInteractions: 2 });
 * recommend(hybrid, "old", { k: 1 }).items[0]?.item; // => "c"
 * recommend(hybrid, "new", { k: 1 }).items[0]?.item; // => "a"
 * ```
 * @category hybrid
 */
export function switchingRecommender(options: SwitchingOptions): Recommender {
  const fn = "switchingRecommender";
  checkOptions(fn, options);
  if (options === undefined) throw new NextbestError("E_BAD_INPUT", `${fn}: options must be an object { warm, cold }, got undefined`);
  const minInteractions = options.minInteractions ?? 1;
  assertInteger(fn, "options.minInteractions", minInteractions, 0);
  const name = options.name ?? "switching";
  checkName(fn, "options.name", name);
  checkRecommender(`${fn}: options.warm`, options.warm);
  checkRecommender(`${fn}: options.cold`, options.cold);
  const alignment = alignComponents(fn, [
    { name: "warm", recommender: options.warm },
    { name: "cold", recommender: options.cold },
  ]);
  const [warm, cold] = alignment.components as [(typeof alignment.components)[0], (typeof alignment.components)[0]];
  const { users, items } = alignment;
  const userCount = users.ids.length;
  const itemCount = items.ids.length;
  const buffers = [new Float64Array(warm.itemMap.length), new Float64Array(cold.itemMap.length)] as const;
  const countOf = (user: number): number => {
    const own = user >= 0 ? warm.userMap[user]! : -1;
    return own >= 0 ? warm.recommender.seenItems(own).length : 0;
  };
  const routeIndex = (user: number): 0 | 1 => (countOf(user) < minInteractions ? 1 : 0);
  const write = (component: typeof warm, buffer: Float64Array, own: number, userId: Id, out: Float64Array): void => {
    out.fill(Number.NaN);
    if (own >= 0) component.recommender.scoreUser(own, buffer);
    else if (component.recommender.fallback !== undefined) component.recommender.fallback.scoreInto(userId, buffer);
    else return;
    const map = component.itemMap;
    for (let i = 0; i < buffer.length; i++) out[map[i]!] = buffer[i]!;
  };
  const fallbackComponent = cold.recommender.fallback !== undefined ? 1 : warm.recommender.fallback !== undefined ? 0 : -1;
  const recommender: Recommender = Object.freeze({
    name,
    users,
    items,
    scoreUser(user: number, out: Float64Array): void {
      checkUser(`${fn}.scoreUser`, user, userCount);
      checkBuffer(`${fn}.scoreUser`, out, itemCount);
      const r = routeIndex(user);
      const component = r === 0 ? warm : cold;
      write(component, buffers[r], component.userMap[user]!, users.ids[user]!, out);
    },
    seenItems(user: number): ArrayLike<number> {
      checkUser(`${fn}.seenItems`, user, userCount);
      return unionSeen(alignment.components, user);
    },
    ...(fallbackComponent >= 0
      ? {
          fallback: Object.freeze({
            source: (fallbackComponent === 1 ? cold : warm).recommender.fallback!.source,
            scoreInto(user: Id, out: Float64Array): void {
              checkBuffer(`${fn}.fallback.scoreInto`, out, itemCount);
              const r = fallbackComponent as 0 | 1;
              write(r === 0 ? warm : cold, buffers[r], -1, user, out);
            },
          }),
        }
      : {}),
  });
  switches.set(recommender, {
    route(user: Id): SwitchRoute {
      const u = users.lookup.get(user) ?? -1;
      const r = u >= 0 ? routeIndex(u) : fallbackComponent >= 0 ? (fallbackComponent as 0 | 1) : 1;
      const component = r === 0 ? warm : cold;
      const own = u >= 0 ? component.userMap[u]! : -1;
      return Object.freeze({
        user,
        route: r === 0 ? "warm" : "cold",
        component: component.recommender.name,
        viaFallback: own < 0,
        interactions: countOf(u),
      });
    },
  });
  return recommender;
}

/**
 * Which component a {@link switchingRecommender} uses for a user: the route, the component's name, whether the
 * component scores the user through its own fallback, and the interaction count the switch saw.
 *
 * Complexity: O(1) plus one `seenItems` of the warm component.
 *
 * @param hybrid - a recommender from {@link switchingRecommender}
 * @param user - a user id (unknown users report the route of the hybrid's fallback, `"cold"` when it has none)
 * @returns the route
 * @throws {@link core!NextbestError} `E_BAD_INPUT` when `hybrid` is not a switching recommender or the id is invalid
 * @example
 * ```ts
 * import { createIdIndex } from "nextbest/core";
 * import type { Recommender } from "nextbest/recommend";
 * import { switchingRecommender, switchRoute } from "nextbest/hybrid";
 * const model = (name: string, seen: number[]): Recommender => ({
 *   name, users: createIdIndex(["acme"]), items: createIdIndex(["a", "b"]),
 *   scoreUser(_user, out) { out.fill(1); }, seenItems() { return seen; },
 * });
 * const hybrid = switchingRecommender({ warm: model("cf", [0]), cold: model("content", []), minInteractions: 3 });
 * switchRoute(hybrid, "acme");
 * // => { user: "acme", route: "cold", component: "content", viaFallback: false, interactions: 1 }
 * ```
 * @category hybrid
 */
export function switchRoute(hybrid: Recommender, user: Id): SwitchRoute {
  const fn = "switchRoute";
  const state = typeof hybrid === "object" && hybrid !== null ? switches.get(hybrid) : undefined;
  if (state === undefined) {
    throw new NextbestError("E_BAD_INPUT", `${fn}: hybrid must be a recommender from switchingRecommender, got ${describeValue(hybrid)}`);
  }
  checkId(fn, "user", user);
  return state.route(user);
}
