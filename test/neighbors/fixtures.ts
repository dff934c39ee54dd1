// Fixtures shared by the neighbour tests.
import fc from "fast-check";
import { createInteractions, type Interactions } from "../../src/data/index.ts";
import type { NeighborLists } from "../../src/neighbors/index.ts";

// The 3 × 3 example used across the neighbour tests (users u1..u3, items A, B, C):
//        A  B  C
//   u1   5  3  4
//   u2   4  1  .
//   u3   1  5  2
export const tiny: Interactions = createInteractions([
  { user: "u1", item: "A", value: 5 },
  { user: "u1", item: "B", value: 3 },
  { user: "u1", item: "C", value: 4 },
  { user: "u2", item: "A", value: 4 },
  { user: "u2", item: "B", value: 1 },
  { user: "u3", item: "A", value: 1 },
  { user: "u3", item: "B", value: 5 },
  { user: "u3", item: "C", value: 2 },
]);

/** sim(a, b) from neighbour lists, or undefined when b is not among a's neighbours. */
export function similarityOf(lists: Pick<NeighborLists, "indptr" | "indices" | "similarities">, a: number, b: number): number | undefined {
  for (let p = lists.indptr[a]!; p < lists.indptr[a + 1]!; p++) if (lists.indices[p] === b) return lists.similarities[p];
  return undefined;
}

// Random rating matrices: up to 8 users × 8 items, integer ratings 1..5.
export const ratings = fc
  .array(fc.record({ user: fc.integer({ min: 0, max: 7 }), item: fc.integer({ min: 0, max: 7 }), value: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 50 })
  .map((list) => createInteractions(list.map((r) => ({ user: `u${r.user}`, item: `i${r.item}`, value: r.value })), { duplicates: "last" }));

