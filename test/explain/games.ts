// Coalition games as models: a game over m players is a table of v over all 2^m bitmasks; as a model it reads the
// coalition from a 0/1 row (x = all ones, the background one row of zeros), so v(S) = f(1_S) = table[S].
import fc from "fast-check";
import type { ModelFunction } from "../../src/explain/index.ts";

export interface Game {
  readonly m: number;
  readonly table: Float64Array;
}

export function maskOf(z: Float64Array): number {
  let mask = 0;
  for (let i = 0; i < z.length; i++) if (z[i]! > 0.5) mask |= 1 << i;
  return mask;
}

export function gameModel(game: Game): ModelFunction {
  return (z) => game.table[maskOf(z)]!;
}

export const ones = (m: number): number[] => new Array<number>(m).fill(1);
export const zeros = (m: number): number[] => new Array<number>(m).fill(0);
export const gameOptions = (m: number) => ({ background: [zeros(m)] });

/** Reference exact Shapley values by the permutation definition (all m! orders), for small m. */
export function shapleyByOrders(game: Game): number[] {
  const { m, table } = game;
  const phi = new Array<number>(m).fill(0);
  let count = 0;
  const order: number[] = [];
  const used = new Array<boolean>(m).fill(false);
  const walk = (): void => {
    if (order.length === m) {
      let mask = 0;
      for (const i of order) {
        phi[i]! += table[mask | (1 << i)]! - table[mask]!;
        mask |= 1 << i;
      }
      count++;
      return;
    }
    for (let i = 0; i < m; i++) {
      if (used[i]) continue;
      used[i] = true;
      order.push(i);
      walk();
      order.pop();
      used[i] = false;
    }
  };
  walk();
  return phi.map((v) => v / count);
}

/** A random game on m players with values in [-10, 10]. */
export const gameArb = (minPlayers: number, maxPlayers: number): fc.Arbitrary<Game> =>
  fc.integer({ min: minPlayers, max: maxPlayers }).chain((m) =>
    fc
      .array(fc.double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true }), { minLength: 2 ** m, maxLength: 2 ** m })
      .map((values) => ({ m, table: Float64Array.from(values) })),
  );

/** A seeded random game on m players (a Park–Miller stream, so tests do not depend on the library's generator). */
export function seededGame(m: number, seed: number): Game {
  let state = seed % 2147483647 || 1;
  const next = (): number => {
    state = (state * 48271) % 2147483647;
    return state / 2147483647;
  };
  const table = new Float64Array(2 ** m);
  // an additive part plus pairwise interactions plus noise: a non-trivial game
  const a = Array.from({ length: m }, () => next() * 4 - 2);
  const pair = Array.from({ length: m * m }, () => next() * 2 - 1);
  for (let s = 0; s < table.length; s++) {
    let v = 0;
    for (let i = 0; i < m; i++) {
      if (!((s >> i) & 1)) continue;
      v += a[i]!;
      for (let j = 0; j < i; j++) if ((s >> j) & 1) v += pair[i * m + j]!;
    }
    table[s] = v + (next() - 0.5);
  }
  return { m, table };
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
export const maxAbsDiff = (a: readonly number[], b: readonly number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
